using static TorchSharp.torch;

namespace Orchestrator.Models.Features;

/// <summary>
/// The speech streams of one utterance as <see cref="UtteranceFeatures"/> holds them, and how they
/// were made. Owns its tensors.
/// </summary>
/// <param name="Streams">F (L, T, H) always; P, S, W (L, N, H) when present.</param>
/// <param name="SegmentFrames">int64 (N, 2) CPU per present P, S, W: the first and last frame pooled per segment.</param>
/// <param name="Counts">Segments kept, dropped, clipped and fallen back per stream.</param>
public sealed record SpeechStreamSet(
    IReadOnlyDictionary<StreamKind, Tensor> Streams,
    IReadOnlyDictionary<StreamKind, Tensor> SegmentFrames,
    SpeechStreamCounts Counts) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var tensor in Streams.Values) tensor.Dispose();
        foreach (var tensor in SegmentFrames.Values) tensor.Dispose();
    }
}
