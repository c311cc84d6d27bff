using Orchestrator.Models.Features;

namespace Orchestrator.Models.Fusion;

/// <summary>Builds the <see cref="FusionModel"/> of a configuration, with messages for configurations that make no sense.</summary>
public static class FusionModels
{
    /// <summary>
    /// The model <paramref name="kind"/> over <paramref name="streams"/> (distinct; any order, kept
    /// in <see cref="StreamKinds.All"/> order). <paramref name="shapes"/> must describe every stream.
    /// Linear and Transformer take exactly one stream; Late at least one; Coattention text plus at
    /// least one speech stream; Concat text plus exactly one speech stream.
    /// </summary>
    /// <exception cref="ArgumentException">The configuration is invalid; the message says why.</exception>
    public static FusionModel Create(ModelKind kind, IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckStreams(kind, streams);
        var ordered = streams.Order().ToList();
        foreach (var s in ordered)
        {
            if (!shapes.TryGetValue(s, out var shape))
                throw new ArgumentException($"{kind} over {StreamKinds.Label(ordered)}: no shape (layers, width) given for the {s.Name()} stream.");
            shape.Validate(s.Name());
        }
        if (kind == ModelKind.Transformer) CheckHeads(kind, shapes[ordered[0]].Width, options);
        if (kind == ModelKind.Coattention) CheckHeads(kind, shapes[StreamKind.Text].Width, options);
        return kind switch
        {
            ModelKind.Linear or ModelKind.Late => new LateFusion(kind, ordered, shapes, options),
            ModelKind.Transformer => new StreamTransformer(ordered, shapes, options),
            ModelKind.Coattention => new CoattentionFusion(ordered, shapes, options),
            ModelKind.Concat => new ConcatFusion(ordered, shapes, options),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// The rules of <see cref="Create"/> that need no data: whether <paramref name="kind"/> can take
    /// <paramref name="streams"/>. Grid files and configuration keys are checked with it before any
    /// feature is read, so a sweep never fails on its 600th run for a typo.
    /// </summary>
    /// <exception cref="ArgumentException">The model cannot take the streams; the message says why.</exception>
    public static void CheckStreams(ModelKind kind, IReadOnlyList<StreamKind> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Distinct().Count() != streams.Count)
            throw new ArgumentException($"{kind}: the stream list {string.Join(",", streams.Select(s => s.Letter()))} names a stream twice.");
        var label = streams.Count == 0 ? "(none)" : StreamKinds.Label(streams);
        var speech = streams.Count(s => s.IsSpeech());
        var hasText = streams.Contains(StreamKind.Text);
        switch (kind)
        {
            case ModelKind.Linear or ModelKind.Transformer when streams.Count != 1:
                throw new ArgumentException($"{kind} takes exactly one stream, got {label}.");
            case ModelKind.Late when streams.Count == 0:
                throw new ArgumentException("Late fusion needs at least one stream, got none.");
            case ModelKind.Coattention when !hasText || speech == 0:
                throw new ArgumentException($"Coattention needs the text stream T plus at least one speech stream (F, P, S, W), got {label}.");
            case ModelKind.Concat when !hasText || speech != 1:
                throw new ArgumentException($"Concatenation needs the text stream T plus exactly one speech stream (the paper uses T+F), got {label}.");
        }
    }

    private static void CheckHeads(ModelKind kind, int width, ModelOptions options)
    {
        if (width % options.AttentionHeads != 0)
            throw new ArgumentException($"{kind}: {options.AttentionHeads} attention heads do not divide the model width {width} (the embedding width); set ModelOptions.AttentionHeads to a divisor of {width}.");
    }
}
