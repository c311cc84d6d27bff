using static TorchSharp.torch;

namespace Orchestrator.Models.Features;

/// <summary>
/// The extracted streams of one utterance, as the extractor produces them and the store keeps them.
/// Owns its tensors (CPU).
/// </summary>
/// <param name="Id">The utterance id.</param>
/// <param name="Streams">
/// (L, N, H) per stream, float32 or float16: L stored layers, N elements (frames, segments or
/// WordPieces), H the encoder width. P, S and W are absent for an utterance without alignment
/// (models fall back to F for it: method.md section 3).
/// </param>
/// <param name="SegmentFrames">
/// For each present P, S, W stream: int64 (N, 2), the first and last encoder frame pooled for each
/// segment, inclusive.
/// </param>
public sealed record UtteranceFeatures(
    string Id,
    IReadOnlyDictionary<StreamKind, Tensor> Streams,
    IReadOnlyDictionary<StreamKind, Tensor> SegmentFrames) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Streams.Values) tensor.Dispose();
        foreach (var tensor in SegmentFrames.Values) tensor.Dispose();
    }
}
