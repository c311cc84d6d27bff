using System.Text.Json;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Fills a feature store (docs/feature-store.md): buffers utterances, writes them as whole shards
/// (temporary file, flush, rename) and rewrites the manifest after each shard (temporary file,
/// rename). Killed at any point, the store keeps every shard that was renamed and nothing else;
/// reopening rebuilds the index from the shard headers and <see cref="Pending"/> names exactly the
/// utterances still to extract. One writer per folder (a lock file enforces it); not thread-safe.
/// </summary>
public sealed class FeatureStoreWriter : IDisposable
{
    private readonly StoreIndex _index;
    private readonly StoreWriterOptions _options;
    private readonly FileStream _lock;
    private readonly List<PendingTensor> _buffer = [];
    private readonly List<UtteranceDocument> _bufferUtterances = [];
    private readonly Dictionary<string, string> _bufferKeys = new(StringComparer.Ordinal);
    private long _bufferBytes;
    private bool _complete;
    private JsonElement? _report;
    private bool _disposed;

    private FeatureStoreWriter(string directory, StoreDescription description, StoreWriterOptions options, FileStream lockFile,
        StoreIndex index, IReadOnlyList<string> problems, bool complete, JsonElement? report)
    {
        Directory = directory;
        Description = description;
        _options = options;
        _lock = lockFile;
        _index = index;
        Problems = problems;
        _complete = complete;
        _report = report;
    }

    /// <summary>The store folder.</summary>
    public string Directory { get; }

    /// <summary>What this store holds.</summary>
    public StoreDescription Description { get; }

    /// <summary>What opening found and repaired: deleted temporary files, quarantined shards, a stale manifest, duplicates.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether <see cref="Complete"/> was called and nothing was added since.</summary>
    public bool IsComplete => _complete && _buffer.Count == 0;

    /// <summary>Utterances stored or buffered.</summary>
    public int Count => _index.Utterances.Keys.Union(_bufferKeys.Keys).Count();

    /// <summary>The store fingerprint of what is stored and buffered (see <see cref="StoreHash.StoreFingerprint"/>).</summary>
    public string Fingerprint => StoreHash.StoreFingerprint(Description, CurrentKeys());

    /// <summary>
    /// Opens or creates the store in <paramref name="directory"/> for <paramref name="description"/>:
    /// deletes leftover temporary files, quarantines corrupt shards, rebuilds the index from the
    /// shards and rewrites the manifest if it was missing or stale.
    /// </summary>
    /// <exception cref="FeatureStoreMismatchException">The folder holds a store of another extraction (and overwrite is off).</exception>
    /// <exception cref="FeatureStoreException">The folder is locked by another writer, or is not a store and not empty.</exception>
    public static FeatureStoreWriter Open(string directory, StoreDescription description, StoreWriterOptions? options = null)
    {
        options ??= new StoreWriterOptions();
        Validate(description);
        if (options.ShardBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "ShardBytes must be positive.");
        directory = Path.GetFullPath(directory);
        if (options.Overwrite && !Matches(directory, description)) Clear(directory);
        else if (System.IO.Directory.Exists(directory) && !IsStore(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            throw new FeatureStoreException($"{directory} is not empty and holds no {ShardNames.Manifest} or {ShardNames.ShardFolder}/: not a feature store; choose an empty or new folder.");
        System.IO.Directory.CreateDirectory(directory);

        var lockFile = AcquireLock(directory);
        try
        {
            var problems = new List<string>();
            DeleteTemporaryFiles(directory, problems);
            var manifestPath = Path.Combine(directory, ShardNames.Manifest);
            ManifestDocument? manifest = null;
            if (File.Exists(manifestPath))
            {
                try { manifest = StoreJson.Parse<ManifestDocument>(File.ReadAllText(manifestPath), manifestPath); }
                catch (FeatureStoreException e) { problems.Add($"{e.Message} It is rebuilt from the shards."); }
            }
            if (manifest is not null)
            {
                StoreDescription stored;
                try { stored = manifest.Description.ToDescription(); }
                catch (FormatException e) { throw new FeatureStoreException($"{manifestPath}: {e.Message}.", e); }
                var differences = description.DifferencesFrom(stored);
                if (differences.Count > 0) throw new FeatureStoreMismatchException(directory, differences);
            }

            var index = StoreIndex.Scan(directory, description, problems);
            var upToDate = manifest is not null && SameIndex(manifest, index);
            if (manifest is not null && !upToDate)
                problems.Add($"{manifestPath} did not match the shards (an interrupted extraction); rebuilt from {index.Shards.Count} shards.");
            var writer = new FeatureStoreWriter(directory, description, options, lockFile, index, problems,
                upToDate && manifest!.Complete, upToDate ? manifest!.Report : null);
            if (!upToDate) writer.WriteManifest();
            return writer;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="id"/> is stored (or buffered) under <paramref name="key"/>.</summary>
    public bool IsDone(string id, string key) =>
        _bufferKeys.TryGetValue(id, out var buffered) ? buffered == key
        : _index.Utterances.TryGetValue(id, out var stored) && stored.Key == key;

    /// <summary>The utterances that are not stored under their key, in the given order.</summary>
    public IReadOnlyList<(string Id, string Key)> Pending(IEnumerable<(string Id, string Key)> utterances) =>
        utterances.Where(u => !IsDone(u.Id, u.Key)).ToList();

    /// <summary>
    /// Buffers one utterance's features (converted to the store dtype and copied: the caller keeps
    /// ownership of <paramref name="features"/>), writing a shard when the buffer is full. Returns
    /// false, doing nothing, when the utterance is already stored under the same key; under another
    /// key the new features supersede the stored ones.
    /// </summary>
    /// <exception cref="ArgumentException">The features do not fit the description; the message names the stream.</exception>
    public bool Add(UtteranceInfo info, UtteranceFeatures features)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(features);
        if (info.Id != features.Id) throw new ArgumentException($"The info is for '{info.Id}' but the features for '{features.Id}'.", nameof(features));
        if (string.IsNullOrWhiteSpace(info.Id) || info.Id.Contains('/')) throw new ArgumentException($"Utterance id '{info.Id}' is empty or contains '/'.", nameof(info));
        if (string.IsNullOrWhiteSpace(info.Key)) throw new ArgumentException($"Utterance '{info.Id}' has no key.", nameof(info));
        if (_bufferKeys.ContainsKey(info.Id)) throw new InvalidOperationException($"Utterance '{info.Id}' was added twice.");
        if (IsDone(info.Id, info.Key)) return false;

        var tensors = Convert(info.Id, features);
        var lengths = features.Streams.ToDictionary(s => s.Key, s => (int)s.Value.shape[1]);
        _buffer.AddRange(tensors);
        _bufferBytes += tensors.Sum(t => t.Data.LongLength);
        _bufferUtterances.Add(UtteranceDocument.From(info, lengths));
        _bufferKeys[info.Id] = info.Key;
        _complete = false;
        if (_bufferBytes >= _options.ShardBytes) Flush();
        return true;
    }

    /// <summary>Writes the buffered utterances as one shard and rewrites the manifest (nothing when the buffer is empty).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffer.Count == 0) return;
        var number = _index.NextShardNumber++;
        var relative = ShardNames.Relative(number);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = ShardNames.ShardFormat,
            ["version"] = ManifestDocument.CurrentVersion.ToString(),
            ["description"] = JsonSerializer.Serialize(DescriptionDocument.From(Description), StoreJson.Compact),
            ["utterances"] = JsonSerializer.Serialize(_bufferUtterances, StoreJson.Compact),
        };
        var bytes = ShardWriter.Write(Path.Combine(Directory, relative), _buffer, metadata);
        _index.Shards.Add(new ShardDocument { File = relative, Bytes = bytes, Utterances = _bufferUtterances.Count });
        foreach (var utterance in _bufferUtterances) _index.Utterances[utterance.Id] = utterance.WithShard(relative);
        _buffer.Clear();
        _bufferUtterances.Clear();
        _bufferKeys.Clear();
        _bufferBytes = 0;
        WriteManifest();
    }

    /// <summary>
    /// Writes what is buffered and marks the store complete, keeping <paramref name="reportJson"/>
    /// (the extraction report, a JSON value) in the manifest.
    /// </summary>
    public void Complete(string reportJson)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        JsonElement report;
        try { report = JsonDocument.Parse(reportJson).RootElement.Clone(); }
        catch (JsonException e) { throw new ArgumentException($"The report is not valid JSON ({e.Message}).", nameof(reportJson), e); }
        Flush();
        _complete = true;
        _report = report;
        WriteManifest();
    }

    /// <summary>Writes what is buffered (an orderly stop keeps its work) and releases the folder.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        try { Flush(); }
        finally
        {
            _disposed = true;
            _lock.Dispose();
        }
    }

    private IEnumerable<(string Id, string Key)> CurrentKeys() =>
        _index.Utterances.Values.Where(u => !_bufferKeys.ContainsKey(u.Id)).Select(u => (u.Id, u.Key))
            .Concat(_bufferKeys.Select(b => (b.Key, b.Value)));

    private List<PendingTensor> Convert(string id, UtteranceFeatures features)
    {
        var tensors = new List<PendingTensor>();
        using var scope = NewDisposeScope();
        foreach (var kind in StreamKinds.All)
        {
            if (!features.Streams.TryGetValue(kind, out var stream))
            {
                if (features.SegmentFrames.ContainsKey(kind))
                    throw new ArgumentException($"Utterance '{id}' has {kind.Name()} segment frames but no {kind.Name()} stream.", nameof(features));
                continue;
            }
            long[] expected = [Description.LayersOf(kind).Count, stream.shape.Length == 3 ? stream.shape[1] : -1, Description.WidthOf(kind)];
            if (!stream.shape.SequenceEqual(expected) || !stream.is_floating_point())
                throw new ArgumentException(
                    $"Utterance '{id}', stream {kind.Name()}: {stream.dtype} [{string.Join(", ", stream.shape)}]; the store expects floating point "
                    + $"(layers {Description.LayersOf(kind).Count}, N, width {Description.WidthOf(kind)}).", nameof(features));
            tensors.Add(Pending(ShardNames.Stream(id, kind), stream.detach().cpu().to_type(Description.DType.ScalarType()).contiguous()));

            if (!kind.IsSegmental())
            {
                if (features.SegmentFrames.ContainsKey(kind))
                    throw new ArgumentException($"Utterance '{id}': stream {kind.Name()} is not segmental and has no segment frames.", nameof(features));
                continue;
            }
            if (!features.SegmentFrames.TryGetValue(kind, out var frames))
                throw new ArgumentException($"Utterance '{id}': stream {kind.Name()} has no segment frames.", nameof(features));
            if (frames.dtype != ScalarType.Int64 || !frames.shape.SequenceEqual([stream.shape[1], 2L]))
                throw new ArgumentException(
                    $"Utterance '{id}', {kind.Name()} segment frames: {frames.dtype} [{string.Join(", ", frames.shape)}]; expected Int64 [{stream.shape[1]}, 2].", nameof(features));
            tensors.Add(Pending(ShardNames.Frames(id, kind), frames.detach().cpu().contiguous()));
        }
        return tensors;
    }

    private static PendingTensor Pending(string name, Tensor tensor) => new(name, tensor.dtype, tensor.shape, tensor.bytes.ToArray());

    private void WriteManifest()
    {
        var manifest = new ManifestDocument
        {
            Format = ManifestDocument.FormatName,
            Version = ManifestDocument.CurrentVersion,
            Fingerprint = StoreHash.StoreFingerprint(Description, _index.Utterances.Values.Select(u => (u.Id, u.Key))),
            Complete = _complete,
            Report = _report,
            Description = DescriptionDocument.From(Description),
            Shards = [.. _index.Shards],
            Utterances = [.. _index.Utterances.Values.OrderBy(u => u.Id, StringComparer.Ordinal)],
        };
        StoreJson.WriteAtomically(Path.Combine(Directory, ShardNames.Manifest), JsonSerializer.Serialize(manifest, StoreJson.Indented));
    }

    private static bool SameIndex(ManifestDocument manifest, StoreIndex index) =>
        manifest.Format == ManifestDocument.FormatName
        && manifest.Version == ManifestDocument.CurrentVersion
        && manifest.Shards.Select(s => (s.File, s.Bytes)).SequenceEqual(index.Shards.Select(s => (s.File, s.Bytes)))
        && manifest.Utterances.Length == index.Utterances.Count
        && manifest.Utterances.All(u => index.Utterances.TryGetValue(u.Id, out var found) && found.Key == u.Key && found.Shard == u.Shard);

    private static void Validate(StoreDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (string.IsNullOrWhiteSpace(description.ExtractionFingerprint)) throw new ArgumentException("The extraction fingerprint is empty.", nameof(description));
        if (description.SpeechLayers.Count == 0 || description.TextLayers.Count == 0) throw new ArgumentException("No layers to store.", nameof(description));
        if (description.SpeechWidth <= 0 || description.TextWidth <= 0) throw new ArgumentException("Widths must be positive.", nameof(description));
    }

    private static bool IsStore(string directory) =>
        File.Exists(Path.Combine(directory, ShardNames.Manifest)) || System.IO.Directory.Exists(Path.Combine(directory, ShardNames.ShardFolder));

    /// <summary>Deletes a store's own entries only; refuses a non-empty folder that is not a store.</summary>
    /// <summary>
    /// Whether the folder's manifest describes the same extraction (or there is no readable manifest:
    /// then the shards decide, as on any reopening). Overwrite clears only what differs, so a store
    /// that is up to date stays a cache hit.
    /// </summary>
    private static bool Matches(string directory, StoreDescription description)
    {
        var manifestPath = Path.Combine(directory, ShardNames.Manifest);
        if (!File.Exists(manifestPath)) return !System.IO.Directory.Exists(Path.Combine(directory, ShardNames.ShardFolder));
        try
        {
            var manifest = StoreJson.Parse<ManifestDocument>(File.ReadAllText(manifestPath), manifestPath);
            return description.DifferencesFrom(manifest.Description.ToDescription()).Count == 0;
        }
        catch (Exception e) when (e is FeatureStoreException or FormatException)
        {
            return true;
        }
    }

    private static void Clear(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) return;
        if (!IsStore(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            throw new FeatureStoreException($"{directory} is not empty and holds no {ShardNames.Manifest} or {ShardNames.ShardFolder}/: refusing to clear a folder that is not a feature store.");
        using var lockFile = AcquireLock(directory);
        foreach (var folder in new[] { ShardNames.ShardFolder, ShardNames.QuarantineFolder })
        {
            var path = Path.Combine(directory, folder);
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        foreach (var file in new[] { ShardNames.Manifest, ShardNames.Manifest + ".tmp" })
            File.Delete(Path.Combine(directory, file));
    }

    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, ShardNames.LockFile);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix); the kernel drops it when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new FeatureStoreException($"{directory} is being written by another extraction ({path} is locked).", e);
        }
    }

    private static void DeleteTemporaryFiles(string directory, List<string> problems)
    {
        var folders = new[] { directory, Path.Combine(directory, ShardNames.ShardFolder) }.Where(System.IO.Directory.Exists);
        foreach (var file in folders.SelectMany(f => System.IO.Directory.GetFiles(f, "*.tmp")))
        {
            File.Delete(file);
            problems.Add($"{file}: left by an interrupted extraction; deleted.");
        }
    }
}
