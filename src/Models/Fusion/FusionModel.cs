using Orchestrator.Models.Features;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// A model of method.md section 5: a padded batch of the streams it needs -> logits (B, Classes).
/// Build one with <see cref="FusionModels.Create"/>. Extra streams in the batch are ignored.
/// </summary>
public abstract class FusionModel : Module<IReadOnlyDictionary<StreamKind, StreamBatch>, Tensor>
{
    private readonly IReadOnlyDictionary<StreamKind, StreamShape> _shapes;

    protected FusionModel(string name, ModelKind kind, IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
        : base(name)
    {
        Kind = kind;
        Streams = streams.ToArray();
        _shapes = Streams.ToDictionary(s => s, s => shapes[s]);
        Options = options;
    }

    /// <summary>The family this model belongs to.</summary>
    public ModelKind Kind { get; }

    /// <summary>The streams <see cref="Module{T, TResult}.forward"/> reads, in <see cref="StreamKinds.All"/> order.</summary>
    public IReadOnlyList<StreamKind> Streams { get; }

    /// <summary>The options the model was built with.</summary>
    public ModelOptions Options { get; }

    /// <summary>The Adam learning rate method.md section 6 gives this model.</summary>
    public double LearningRate => Options.LearningRate(Kind);

    /// <summary>
    /// The normalised layer weights of every <see cref="LayerWeighting"/> in the model, by module path
    /// (<c>weighting.frame</c>, <c>text_weighting.word</c>): which encoder layers the model relies on.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> LayerWeights()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return named_modules().Where(m => m.module is LayerWeighting).ToDictionary(
            m => m.name, m => ((LayerWeighting)m.module).LayerWeights().cpu().data<float>().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The stream <paramref name="kind"/> of <paramref name="batch"/>, checked against the shape the model was built for.</summary>
    protected StreamBatch Input(IReadOnlyDictionary<StreamKind, StreamBatch> batch, StreamKind kind)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.TryGetValue(kind, out var stream))
            throw new ArgumentException($"{Kind} model over {StreamKinds.Label(Streams)}: the batch has no {kind.Name()} stream (it has {StreamKinds.Label(batch.Keys)}).");
        stream.Validate(kind.Name());
        var shape = _shapes[kind];
        if (stream.Values.shape[1] != shape.Layers || stream.Values.shape[3] != shape.Width)
            throw new ArgumentException($"{kind.Name()}: the model expects {shape.Layers} layers of width {shape.Width}, the batch has {stream.Values.shape[1]} layers of width {stream.Values.shape[3]}.");
        return stream;
    }

    /// <summary>Checks that every stream has the same batch size; returns it.</summary>
    protected static long SameBatchSize(IEnumerable<(StreamKind Kind, StreamBatch Batch)> streams)
    {
        var sizes = streams.Select(s => (s.Kind, Size: s.Batch.BatchSize)).ToList();
        if (sizes.Select(s => s.Size).Distinct().Count() > 1)
            throw new ArgumentException($"The streams' batch sizes differ: {string.Join(", ", sizes.Select(s => $"{s.Kind.Name()} {s.Size}"))}.");
        return sizes[0].Size;
    }
}
