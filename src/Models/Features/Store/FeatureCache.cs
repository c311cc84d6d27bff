using Orchestrator.Models.Telemetry;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Streams of a whole store held in memory (CPU or GPU) in the stored dtype, made by
/// <see cref="FeatureStore.LoadIntoMemory"/>: the fast path for training when the store fits.
/// Reads convert to float32 on the cache's device. Safe for concurrent readers.
/// </summary>
public sealed class FeatureCache : IFeatureReader, IDisposable
{
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<StreamKind, int>> _lengths;
    private readonly Dictionary<(string, StreamKind), Tensor> _streams;
    private readonly Dictionary<(string, StreamKind), Tensor> _frames;

    internal FeatureCache(StoreDescription description, IReadOnlyList<UtteranceInfo> utterances,
        IReadOnlyDictionary<string, IReadOnlyDictionary<StreamKind, int>> lengths, IReadOnlyList<StreamKind> loaded,
        Dictionary<(string, StreamKind), Tensor> streams, Dictionary<(string, StreamKind), Tensor> frames)
    {
        Description = description;
        Utterances = utterances;
        AvailableStreams = loaded;
        _lengths = lengths;
        _streams = streams;
        _frames = frames;
        Bytes = streams.Values.Concat(frames.Values).Sum(t => t.NumberOfElements * t.ElementSize);
    }

    /// <inheritdoc />
    public StoreDescription Description { get; }

    /// <inheritdoc />
    public IReadOnlyList<UtteranceInfo> Utterances { get; }

    /// <inheritdoc />
    public IReadOnlyList<StreamKind> AvailableStreams { get; }

    /// <summary>Bytes held.</summary>
    public long Bytes { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<StreamKind, int> Lengths(string id) =>
        _lengths.TryGetValue(id, out var lengths) ? lengths : throw new KeyNotFoundException($"Utterance '{id}' is not in the feature cache.");

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The stream was not loaded.</exception>
    public Tensor? Read(string id, StreamKind kind)
    {
        if (!Lengths(id).ContainsKey(kind)) return null;
        var stored = Loaded(_streams, id, kind);
        FeatureMetrics.CacheHits.Add(1);
        // A copy either way: callers own what they read and must not be able to alter the cache.
        return stored.dtype == ScalarType.Float32 ? stored.clone() : stored.to_type(ScalarType.Float32);
    }

    /// <inheritdoc />
    public Tensor? ReadSegmentFrames(string id, StreamKind kind)
    {
        if (!kind.IsSegmental() || !Lengths(id).ContainsKey(kind)) return null;
        FeatureMetrics.CacheHits.Add(1);
        return Loaded(_frames, id, kind).clone();
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in _streams.Values.Concat(_frames.Values)) tensor.Dispose();
        _streams.Clear();
        _frames.Clear();
    }

    private Tensor Loaded(Dictionary<(string, StreamKind), Tensor> tensors, string id, StreamKind kind)
    {
        if (!AvailableStreams.Contains(kind))
            throw new InvalidOperationException($"Stream {kind.Name()} was not loaded into memory (loaded: {StreamKinds.Label(AvailableStreams)}).");
        return tensors[(id, kind)];
    }
}
