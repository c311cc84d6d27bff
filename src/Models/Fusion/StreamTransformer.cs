using Orchestrator.Models.Features;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Table 1's "Transformer encoder" over one stream: layer weighting, then
/// <see cref="ModelOptions.TransformerLayers"/> post-LN self-attention <see cref="EncoderLayer"/>s
/// (model width = embedding width, key padding masks), then a <see cref="Branch"/> (its two
/// feed-forward layers, GA over valid elements and output layer).
/// </summary>
public sealed class StreamTransformer : FusionModel
{
    private readonly LayerWeighting weighting;
    private readonly ModuleList<EncoderLayer> layers;
    private readonly Branch branch;
    private readonly StreamKind _stream;

    public StreamTransformer(IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
        : base("stream_transformer", ModelKind.Transformer, streams, shapes, options)
    {
        _stream = Streams.Single();
        var width = shapes[_stream].Width;
        weighting = new LayerWeighting(shapes[_stream], options.LayerWeighting);
        layers = ModuleList(Enumerable.Range(0, options.TransformerLayers).Select(i => new EncoderLayer(width, options, $"layer{i}")).ToArray());
        branch = new Branch(width, options);
        RegisterComponents();
    }

    /// <summary>One stream (B, L, N, H) -> logits (B, C).</summary>
    public override Tensor forward(IReadOnlyDictionary<StreamKind, StreamBatch> batch)
    {
        var stream = Input(batch, _stream);
        using var scope = NewDisposeScope();
        var x = weighting.forward(stream);                                         // (B, N, H)
        foreach (var layer in layers) x = layer.forward(x, stream.Mask, x, stream.Mask);  // (B, N, H)
        return branch.forward(x, stream.Mask).MoveToOuterDisposeScope();             // (B, C)
    }
}
