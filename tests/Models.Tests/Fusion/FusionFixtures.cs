using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>
/// Fusion tests seed torch's global generator; one collection keeps them from running in parallel
/// with each other and drawing from it in an interleaved order.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FusionCollection
{
    public const string Name = "Fusion (seeded torch RNG)";
}

/// <summary>Tiny shapes, options and padded batches holding garbage at padded positions.</summary>
internal static class FusionFixtures
{
    /// <summary>Text 3 layers x 16, speech 4 layers x 16 except phones, 24 wide (exercises the width projection).</summary>
    public static readonly IReadOnlyDictionary<StreamKind, StreamShape> Shapes = new Dictionary<StreamKind, StreamShape>
    {
        [StreamKind.Text] = new(3, 16),
        [StreamKind.Frame] = new(4, 16),
        [StreamKind.Phone] = new(4, 24),
        [StreamKind.Syllable] = new(4, 16),
        [StreamKind.Word] = new(4, 16),
    };

    public static readonly ModelOptions Options = new() { BranchWidth = 32 };

    /// <summary>Every model kind, with the stream sets worth covering: (kind, stream list).</summary>
    public static TheoryData<ModelKind, string> Configurations => new()
    {
        { ModelKind.Linear, "T" },
        { ModelKind.Linear, "F" },
        { ModelKind.Transformer, "W" },
        { ModelKind.Late, "T,F,P" },
        { ModelKind.Coattention, "T,F" },
        { ModelKind.Coattention, "T,F,P,S" },
        { ModelKind.Concat, "T,F" },
        { ModelKind.Concat, "T,P" },
    };

    /// <summary>Valid lengths per stream; element 2 has a single valid element in every stream.</summary>
    public static int[] Lengths(StreamKind kind) => kind switch
    {
        StreamKind.Text => [5, 2, 1, 3],
        StreamKind.Frame => [9, 4, 1, 7],
        _ => [3, 4, 1, 2],
    };

    public static FusionModel Create(ModelKind kind, string streams, ModelOptions? options = null)
        => FusionModels.Create(kind, StreamKinds.Parse(streams), Shapes, options ?? Options);

    /// <summary>A random batch of the model's streams, padded to each stream's longest length with garbage (large values, NaN, infinity).</summary>
    public static Dictionary<StreamKind, StreamBatch> Batch(IEnumerable<StreamKind> streams)
        => streams.ToDictionary(s => s, s => Stream(Shapes[s], Lengths(s)));

    public static StreamBatch Stream(StreamShape shape, int[] lengths)
    {
        var n = lengths.Max();
        var mask = stack(lengths.Select(l => arange(n) < l).ToArray());                          // (B, N)
        var values = randn(lengths.Length, shape.Layers, n, shape.Width);                           // (B, L, N, H)
        return new StreamBatch(Garble(values, mask), mask);
    }

    /// <summary>The same batch with <paramref name="extra"/> more padded positions per stream, all garbage.</summary>
    public static Dictionary<StreamKind, StreamBatch> Pad(IReadOnlyDictionary<StreamKind, StreamBatch> batch, int extra)
        => batch.ToDictionary(p => p.Key, p =>
        {
            var (b, l, n, h) = (p.Value.Values.shape[0], p.Value.Values.shape[1], p.Value.Values.shape[2], p.Value.Values.shape[3]);
            var mask = cat([p.Value.Mask, zeros(b, extra, dtype: ScalarType.Bool)], 1);            // (B, N + extra)
            var values = cat([p.Value.Values, randn(b, l, extra, h)], 2);                          // (B, L, N + extra, H)
            return new StreamBatch(Garble(values, mask), mask);
        });

    /// <summary>Overwrites padded positions with large random values, NaN and infinity.</summary>
    private static Tensor Garble(Tensor values, Tensor mask)
    {
        var padded = mask.logical_not().unsqueeze(1).unsqueeze(-1).expand_as(values);              // (B, L, N, H)
        var garbage = randn_like(values) * 1e4;
        garbage[TensorIndex.Ellipsis, 0] = tensor(float.NaN);
        garbage[TensorIndex.Ellipsis, 1] = tensor(float.PositiveInfinity);
        return where(padded, garbage, values);
    }

    /// <summary>Every <see cref="LayerWeighting"/> inside <paramref name="model"/>.</summary>
    public static IReadOnlyList<LayerWeighting> Weightings(FusionModel model)
        => model.modules().OfType<LayerWeighting>().ToList();
}
