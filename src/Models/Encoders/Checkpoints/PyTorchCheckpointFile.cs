using System.IO.Compression;
using static TorchSharp.torch;
using static Orchestrator.Models.Encoders.Checkpoints.RestrictedUnpickler;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// Reads a <c>torch.save(state_dict)</c> file (<c>pytorch_model.bin</c>): a zip holding
/// <c>{name}/data.pkl</c> (the pickled dict) and <c>{name}/data/{key}</c> (one raw little-endian
/// storage per key). The pickle is read by <see cref="RestrictedUnpickler"/>, which allows only
/// the globals a state dict uses; tensor data is read on demand.
/// </summary>
public sealed class PyTorchCheckpointFile : IDisposable
{
    private static readonly (string Name, ScalarType Type)[] StorageTypes =
    [
        ("FloatStorage", ScalarType.Float32), ("HalfStorage", ScalarType.Float16), ("BFloat16Storage", ScalarType.BFloat16),
        ("DoubleStorage", ScalarType.Float64), ("LongStorage", ScalarType.Int64), ("IntStorage", ScalarType.Int32),
        ("ShortStorage", ScalarType.Int16), ("CharStorage", ScalarType.Int8), ("ByteStorage", ScalarType.Byte), ("BoolStorage", ScalarType.Bool),
    ];

    private readonly ZipArchive _zip;
    private readonly string _prefix;

    private PyTorchCheckpointFile(string path, ZipArchive zip, string prefix)
    {
        Path = path;
        _zip = zip;
        _prefix = prefix;
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>Every tensor of the state dict, by name, in pickle order.</summary>
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; private set; } = new Dictionary<string, StoredTensor>();

    /// <summary>The globals a state-dict pickle may name; every other global is refused.</summary>
    public static IReadOnlyList<string> AllowedGlobals { get; } = AllowedTable(null!).Select(g => g.FullName).ToList();

    /// <summary>Opens <paramref name="path"/> and unpickles its state dict (tensor data is not read yet).</summary>
    public static PyTorchCheckpointFile Open(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e) when (StartsAsZip(path))
        {
            // A zip whose central directory is missing: a download or copy cut short, not the legacy format.
            throw new CheckpointException($"{path} is a damaged or truncated zip archive ({e.Message}); download or copy it again.", e);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(
                $"{path} is not a zip archive: only the zip format of torch.save (PyTorch >= 1.6) is supported, not the legacy format. {RestrictedUnpickler.ConvertAdvice}", e);
        }
        try
        {
            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl").ToList();
            if (pickles.Count != 1)
                throw new CheckpointException($"{path}: expected one data.pkl in the archive, found {pickles.Count}.");
            var prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (zip.GetEntry(prefix + "byteorder") is { } order)
            {
                using var reader = new StreamReader(order.Open());
                var byteOrder = reader.ReadToEnd().Trim();
                if (byteOrder != "little") throw new CheckpointException($"{path}: byte order '{byteOrder}' is not supported (only little).");
            }

            var file = new PyTorchCheckpointFile(path, zip, prefix);
            file.Tensors = file.ReadStateDict(pickles[0]);
            return file;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _zip.Dispose();

    /// <summary>Whether the file begins with a zip local-file header, as every torch.save archive does.</summary>
    private static bool StartsAsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PK\u0003\u0004"u8);
    }

    private Dictionary<string, StoredTensor> ReadStateDict(ZipArchiveEntry pickle)
    {
        object? root;
        using (var stream = new MemoryStream())
        {
            using (var entry = pickle.Open()) entry.CopyTo(stream);
            stream.Position = 0;
            root = Load(stream, Path, AllowedTable(this), PersistentLoad);
        }
        if (root is not PickleDict dict)
            throw new CheckpointException($"{Path}: the pickle holds {root?.GetType().Name ?? "None"}, not a state dict.");

        var tensors = new Dictionary<string, StoredTensor>();
        foreach (var (key, value) in dict)
        {
            if (key is not string name) throw new CheckpointException($"{Path}: a state-dict key is {key.GetType().Name}, not a string.");
            if (value is not PickledTensor tensor)
                throw new CheckpointException($"{Path}: state-dict entry '{name}' is {value?.GetType().Name ?? "None"}, not a tensor.");
            tensors[name] = new StoredTensor(name, tensor.Storage.DType, tensor.Size, () => ReadTensor(name, tensor));
        }
        return tensors;
    }

    private object PersistentLoad(object? id)
    {
        // ('storage', torch.FloatStorage, key, location, numel)
        if (id is not object?[] { Length: 5 } tuple || tuple[0] as string != "storage"
            || tuple[1] is not PickleGlobal storageType || tuple[2] is not string key || tuple[4] is not long numel)
            throw new CheckpointException($"{Path}: unsupported persistent id (expected ('storage', type, key, location, numel)).");
        var dtype = StorageTypes.Where(s => "torch." + s.Name == storageType.FullName).Select(s => (ScalarType?)s.Type).FirstOrDefault()
            ?? throw new CheckpointException($"{Path}: '{storageType.FullName}' is not a storage type.");
        return new StorageRef(key, dtype, numel);
    }

    private Tensor ReadTensor(string name, PickledTensor tensor)
    {
        var storage = tensor.Storage;
        var entry = _zip.GetEntry($"{_prefix}data/{storage.Key}")
            ?? throw new CheckpointException($"{Path}: tensor '{name}' refers to storage '{storage.Key}', which the archive lacks.");
        var bytes = storage.ElementCount * TensorDTypes.ElementSize(storage.DType);
        if (entry.Length != bytes)
            throw new CheckpointException($"{Path}: storage '{storage.Key}' of tensor '{name}' has {entry.Length} bytes, expected {bytes}.");
        var extent = tensor.Size.Any(s => s == 0) ? 0 : tensor.Offset + tensor.Size.Zip(tensor.Stride, (s, st) => (s - 1) * st).Sum() + 1;
        if (tensor.Offset < 0 || tensor.Stride.Any(s => s < 0) || extent > storage.ElementCount)
            throw new CheckpointException($"{Path}: tensor '{name}' (offset {tensor.Offset}, size {SafeTensorsFile.FormatShape(tensor.Size)}) " +
                $"reaches past its storage of {storage.ElementCount} elements.");

        using var data = empty(storage.ElementCount, storage.DType);
        using (var stream = entry.Open()) stream.ReadExactly(data.bytes);
        using var view = data.as_strided(tensor.Size, tensor.Stride, tensor.Offset);
        return view.contiguous().clone();
    }

    private static IEnumerable<PickleGlobal> AllowedTable(PyTorchCheckpointFile file)
    {
        yield return new("collections", "OrderedDict", args => OrderedDict(file, args));
        yield return new("torch._utils", "_rebuild_tensor_v2", args => new PickledTensor(
            (StorageRef)args[0]!, (long)args[1]!, Longs(args[2]), Longs(args[3])));
        yield return new("torch._utils", "_rebuild_parameter", args => args[0]);
        foreach (var (name, _) in StorageTypes) yield return new("torch", name, null);
    }

    private static PickleDict OrderedDict(PyTorchCheckpointFile file, object?[] args)
    {
        var dict = new PickleDict();
        if (args.Length == 0) return dict;
        if (args is [List<object?> pairs] && pairs.All(p => p is object?[] { Length: 2 } kv && kv[0] is not null))
        {
            foreach (object?[] pair in pairs.Cast<object?[]>()) dict.Add(new(pair[0]!, pair[1]));
            return dict;
        }
        throw new CheckpointException($"{file.Path}: unsupported arguments to collections.OrderedDict.");
    }

    private static long[] Longs(object? tuple) => ((object?[])tuple!).Select(v => (long)v!).ToArray();

    private sealed record StorageRef(string Key, ScalarType DType, long ElementCount);

    private sealed class PickledTensor(StorageRef storage, long offset, long[] size, long[] stride) : StoredObject
    {
        public StorageRef Storage { get; } = storage;
        public long Offset { get; } = offset;
        public long[] Size { get; } = size;
        public long[] Stride { get; } = stride;
    }
}
