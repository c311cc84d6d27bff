namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// The weight files of a HF checkpoint folder, opened for lazy reading. Looked for in HF's order
/// of preference: <c>model.safetensors</c>, <c>model.safetensors.index.json</c> (shards),
/// <c>pytorch_model.bin</c>, <c>pytorch_model.bin.index.json</c>.
/// </summary>
public sealed class CheckpointWeights : IDisposable
{
    /// <summary>The weight file names looked for, in order.</summary>
    public static readonly string[] FileNames = ["model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"];

    private readonly List<IDisposable> _files;

    private CheckpointWeights(string source, IReadOnlyDictionary<string, StoredTensor> tensors, List<IDisposable> files)
    {
        Source = source;
        Tensors = tensors;
        _files = files;
    }

    /// <summary>The file (or index) the tensors come from.</summary>
    public string Source { get; }

    /// <summary>Every stored tensor, by stored name.</summary>
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; }

    /// <summary>Opens the preferred weight file of <paramref name="folder"/>.</summary>
    public static CheckpointWeights Open(string folder)
    {
        var file = FileNames.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists)
            ?? throw new CheckpointException($"{folder} holds none of the weight files {string.Join(", ", FileNames)}.");
        return OpenFile(file);
    }

    /// <summary>Opens one weight file: safetensors, a PyTorch zip (<c>.bin</c>/<c>.pt</c>), or a sharded index.</summary>
    public static CheckpointWeights OpenFile(string path)
    {
        if (path.EndsWith(".index.json", StringComparison.Ordinal)) return OpenSharded(path);
        var opened = OpenSingle(path);
        return new CheckpointWeights(path, opened.Tensors, [opened.File]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }

    private static (IReadOnlyDictionary<string, StoredTensor> Tensors, IDisposable File) OpenSingle(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path} does not exist.");
        if (path.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            var safe = SafeTensorsFile.Open(path);
            return (safe.Tensors, safe);
        }
        var pickled = PyTorchCheckpointFile.Open(path);
        return (pickled.Tensors, pickled);
    }

    private static CheckpointWeights OpenSharded(string indexPath)
    {
        var weightMap = JsonConfig.Load(indexPath).StringMap("weight_map");
        var folder = Path.GetDirectoryName(indexPath)!;
        var files = new List<IDisposable>();
        try
        {
            var tensors = new Dictionary<string, StoredTensor>();
            foreach (var shard in weightMap.Values.Distinct(StringComparer.Ordinal))
            {
                if (shard.Contains('/') || shard.Contains('\\') || shard.StartsWith('.'))
                    throw new CheckpointException($"{indexPath}: shard name '{shard}' must be a plain file name.");
                var opened = OpenSingle(Path.Combine(folder, shard));
                files.Add(opened.File);
                foreach (var (name, tensor) in opened.Tensors)
                    if (weightMap.TryGetValue(name, out var owner) && owner == shard) tensors[name] = tensor;
            }
            var absent = weightMap.Where(w => !tensors.ContainsKey(w.Key)).Select(w => $"{w.Key} (in {w.Value})").ToList();
            if (absent.Count > 0)
                throw new CheckpointException($"{indexPath}: the index lists tensors its shards do not hold: {string.Join(", ", absent)}.");
            return new CheckpointWeights(indexPath, tensors, files);
        }
        catch
        {
            foreach (var file in files) file.Dispose();
            throw;
        }
    }
}
