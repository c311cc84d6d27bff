using System.Collections.Concurrent;
using Orchestrator.Models.Telemetry;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Reads a feature store (docs/feature-store.md) through memory-mapped shards. The manifest is
/// validated on opening; shards are mapped on first use. Safe for concurrent readers; do not
/// dispose while reads are in flight. The store must not be written while it is read: a running
/// extraction only adds shards, but this reader sees the manifest of the moment it opened.
/// </summary>
public sealed class FeatureStore : IFeatureReader, IDisposable
{
    private readonly Dictionary<string, UtteranceDocument> _byId;
    private readonly Dictionary<string, IReadOnlyDictionary<StreamKind, int>> _lengths;
    private readonly ConcurrentDictionary<string, Lazy<MappedShard>> _shards = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    private FeatureStore(string directory, ManifestDocument manifest, StoreDescription description,
        Dictionary<string, UtteranceDocument> byId, Dictionary<string, IReadOnlyDictionary<StreamKind, int>> lengths)
    {
        Directory = directory;
        Description = description;
        _byId = byId;
        _lengths = lengths;
        Utterances = [.. byId.Values.OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => u.ToInfo())];
        IsComplete = manifest.Complete;
        Fingerprint = manifest.Fingerprint;
        ReportJson = manifest.Report?.GetRawText();
        ShardCount = manifest.Shards.Length;
        Bytes = manifest.Shards.Sum(s => s.Bytes);
    }

    /// <summary>The store folder.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public StoreDescription Description { get; }

    /// <inheritdoc />
    public IReadOnlyList<UtteranceInfo> Utterances { get; }

    /// <inheritdoc />
    public IReadOnlyList<StreamKind> AvailableStreams => StreamKinds.All;

    /// <summary>Whether the extraction that wrote it finished (an interrupted one is resumed by extracting again).</summary>
    public bool IsComplete { get; }

    /// <summary>The store fingerprint: equal fingerprints, equal features.</summary>
    public string Fingerprint { get; }

    /// <summary>The extraction report kept by <see cref="FeatureStoreWriter.Complete"/> (JSON), or null.</summary>
    public string? ReportJson { get; }

    /// <summary>Number of shard files.</summary>
    public int ShardCount { get; }

    /// <summary>Total size of the shard files.</summary>
    public long Bytes { get; }

    /// <summary>Opens the store in <paramref name="directory"/> and validates its manifest against the shard files.</summary>
    /// <exception cref="FeatureStoreException">No manifest, an invalid one, or one that does not match the shards; the message names the file.</exception>
    public static FeatureStore Open(string directory)
    {
        directory = Path.GetFullPath(directory);
        var path = Path.Combine(directory, ShardNames.Manifest);
        if (!File.Exists(path))
            throw new FeatureStoreException($"{path}: not found; {directory} is not a feature store (run the extraction; an interrupted one rebuilds its manifest when run again).");
        var manifest = StoreJson.Parse<ManifestDocument>(File.ReadAllText(path), path);
        if (manifest.Format != ManifestDocument.FormatName || manifest.Version != ManifestDocument.CurrentVersion)
            throw new FeatureStoreException($"{path}: format '{manifest.Format}' version {manifest.Version}; this reader needs '{ManifestDocument.FormatName}' version {ManifestDocument.CurrentVersion}.");
        StoreDescription description;
        var byId = new Dictionary<string, UtteranceDocument>(StringComparer.Ordinal);
        var lengths = new Dictionary<string, IReadOnlyDictionary<StreamKind, int>>(StringComparer.Ordinal);
        try
        {
            description = manifest.Description.ToDescription();
            foreach (var utterance in manifest.Utterances)
            {
                if (!byId.TryAdd(utterance.Id, utterance)) throw new FormatException($"utterance '{utterance.Id}' is listed twice");
                lengths[utterance.Id] = utterance.StreamLengths();
                utterance.ToInfo();
            }
        }
        catch (FormatException e)
        {
            throw new FeatureStoreException($"{path}: {e.Message}.", e);
        }

        var shards = manifest.Shards.ToDictionary(s => s.File, StringComparer.Ordinal);
        foreach (var shard in manifest.Shards)
        {
            var file = Path.Combine(directory, shard.File);
            var size = File.Exists(file) ? new FileInfo(file).Length : -1;
            if (size != shard.Bytes)
                throw new FeatureStoreException(size < 0
                    ? $"{path}: lists {shard.File}, which does not exist (run the extraction again to rebuild the store)."
                    : $"{path}: lists {shard.File} with {shard.Bytes} bytes but it has {size} (run the extraction again to rebuild the manifest).");
        }
        var orphan = manifest.Utterances.FirstOrDefault(u => u.Shard is null || !shards.ContainsKey(u.Shard));
        if (orphan is not null)
            throw new FeatureStoreException($"{path}: utterance '{orphan.Id}' names shard '{orphan.Shard}', which the manifest does not list.");
        var fingerprint = StoreHash.StoreFingerprint(description, manifest.Utterances.Select(u => (u.Id, u.Key)));
        if (fingerprint != manifest.Fingerprint)
            throw new FeatureStoreException($"{path}: fingerprint {manifest.Fingerprint} does not match its contents ({fingerprint}); the manifest was edited or damaged.");
        return new FeatureStore(directory, manifest, description, byId, lengths);
    }

    /// <summary>Whether <paramref name="id"/> is stored.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <inheritdoc />
    public IReadOnlyDictionary<StreamKind, int> Lengths(string id) =>
        _lengths.TryGetValue(id, out var lengths) ? lengths
        : throw new KeyNotFoundException($"Utterance '{id}' is not in the feature store {Directory}.");

    /// <inheritdoc />
    public Tensor? Read(string id, StreamKind kind)
    {
        if (!Lengths(id).ContainsKey(kind)) return null;
        FeatureMetrics.CacheMisses.Add(1);
        using var scope = NewDisposeScope();
        var stored = ReadStored(id, ShardNames.Stream(id, kind));
        var result = stored.dtype == ScalarType.Float32 ? stored : stored.to_type(ScalarType.Float32);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor? ReadSegmentFrames(string id, StreamKind kind)
    {
        if (!kind.IsSegmental() || !Lengths(id).ContainsKey(kind)) return null;
        FeatureMetrics.CacheMisses.Add(1);
        return ReadStored(id, ShardNames.Frames(id, kind));
    }

    /// <summary>Bytes that <see cref="LoadIntoMemory"/> would hold for these streams (stored dtype, segment frames included).</summary>
    public long EstimateMemoryBytes(IEnumerable<StreamKind> kinds)
    {
        var set = kinds.ToHashSet();
        long total = 0;
        foreach (var lengths in _lengths.Values)
            foreach (var (kind, n) in lengths.Where(l => set.Contains(l.Key)))
            {
                total += (long)Description.LayersOf(kind).Count * n * Description.WidthOf(kind) * Description.DType.ElementSize();
                if (kind.IsSegmental()) total += n * 2L * sizeof(long);
            }
        return total;
    }

    /// <summary>
    /// Reads the given streams of every utterance into memory (on <paramref name="device"/>, CPU by
    /// default), in the stored dtype; check <see cref="EstimateMemoryBytes"/> first.
    /// </summary>
    public FeatureCache LoadIntoMemory(IEnumerable<StreamKind> kinds, Device? device = null)
    {
        var loaded = kinds.Distinct().Order().ToList();
        var streams = new Dictionary<(string, StreamKind), Tensor>();
        var frames = new Dictionary<(string, StreamKind), Tensor>();
        try
        {
            foreach (var utterance in Utterances)
                foreach (var kind in loaded.Where(Lengths(utterance.Id).ContainsKey))
                {
                    streams[(utterance.Id, kind)] = Load(ShardNames.Stream(utterance.Id, kind));
                    if (kind.IsSegmental()) frames[(utterance.Id, kind)] = Load(ShardNames.Frames(utterance.Id, kind));

                    Tensor Load(string name)
                    {
                        using var scope = NewDisposeScope();
                        var tensor = ReadStored(utterance.Id, name);
                        if (device is not null) tensor = tensor.to(device);
                        return tensor.DetachFromDisposeScope();
                    }
                }
            return new FeatureCache(Description, Utterances, _lengths, loaded, streams, frames);
        }
        catch
        {
            foreach (var tensor in streams.Values.Concat(frames.Values)) tensor.Dispose();
            throw;
        }
    }

    /// <summary>Unmaps every shard.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var shard in _shards.Values.Where(s => s.IsValueCreated)) shard.Value.Dispose();
        _shards.Clear();
    }

    private Tensor ReadStored(string id, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shard = _byId[id].Shard!;
        var mapped = _shards.GetOrAdd(shard, s => new Lazy<MappedShard>(() => MappedShard.Open(Path.Combine(Directory, s)))).Value;
        return mapped.Read(name);
    }
}
