using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Per-utterance streams, read from a store on disk (<see cref="FeatureStore"/>) or from memory
/// (<see cref="FeatureCache"/>). Every read returns a new float32 (or int64) tensor the caller owns.
/// </summary>
public interface IFeatureReader
{
    /// <summary>What the store holds: layers, widths, encoders, options.</summary>
    StoreDescription Description { get; }

    /// <summary>The stored utterances, in ordinal id order.</summary>
    IReadOnlyList<UtteranceInfo> Utterances { get; }

    /// <summary>The streams this reader can return (a cache holds only those it loaded).</summary>
    IReadOnlyList<StreamKind> AvailableStreams { get; }

    /// <summary>The stored streams of an utterance and their lengths N.</summary>
    /// <exception cref="KeyNotFoundException">The utterance is not stored.</exception>
    IReadOnlyDictionary<StreamKind, int> Lengths(string id);

    /// <summary>float32 (L, N, H), or null when the utterance has no such stream (P, S, W without alignment).</summary>
    Tensor? Read(string id, StreamKind kind);

    /// <summary>int64 (N, 2), first and last encoder frame of each segment (inclusive); null for T, F and absent streams.</summary>
    Tensor? ReadSegmentFrames(string id, StreamKind kind);

    /// <summary>Every available stream of one utterance, float32, with its segment frames.</summary>
    UtteranceFeatures ReadUtterance(string id)
    {
        using var scope = NewDisposeScope();
        var streams = new Dictionary<StreamKind, Tensor>();
        var frames = new Dictionary<StreamKind, Tensor>();
        foreach (var kind in Lengths(id).Keys.Where(AvailableStreams.Contains).Order())
        {
            streams[kind] = Read(id, kind)!.MoveToOuterDisposeScope();
            if (kind.IsSegmental()) frames[kind] = ReadSegmentFrames(id, kind)!.MoveToOuterDisposeScope();
        }
        return new UtteranceFeatures(id, streams, frames);
    }
}
