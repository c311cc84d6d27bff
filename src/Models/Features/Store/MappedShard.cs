using System.IO.MemoryMappedFiles;
using Orchestrator.Models.Telemetry;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// One shard mapped read-only into memory. A read copies the tensor's bytes from the mapping
/// straight into a new tensor (one copy, no system call per read; the page cache serves repeated
/// epochs). Reads from any number of threads are safe: the mapping is never written.
/// </summary>
internal sealed unsafe class MappedShard : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    private MappedShard(ShardHeader header, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* start)
    {
        Header = header;
        _file = file;
        _view = view;
        _start = start;
    }

    public ShardHeader Header { get; }

    /// <summary>Validates the shard's header and maps it.</summary>
    public static MappedShard Open(string path)
    {
        var header = ShardHeader.Read(path);
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            if (view.Capacity < header.FileLength)
                throw new FeatureStoreException($"{path}: the mapping holds {view.Capacity} bytes but the header needs {header.FileLength}.");
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedShard(header, file, view, pointer + view.PointerOffset);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>A new CPU tensor, in the stored dtype, holding a copy of tensor <paramref name="name"/>.</summary>
    /// <exception cref="FeatureStoreException">The shard has no such tensor (the manifest is stale).</exception>
    public Tensor Read(string name)
    {
        if (!Header.Tensors.TryGetValue(name, out var entry))
            throw new FeatureStoreException($"{Header.Path}: has no tensor '{name}' (the manifest does not match the shard; reopen the store for writing to rebuild it).");
        var tensor = empty(entry.Shape, entry.DType);
        var source = new ReadOnlySpan<byte>(_start + Header.DataStart + entry.Begin, checked((int)entry.ByteCount));
        source.CopyTo(tensor.bytes);
        FeatureMetrics.StoreBytesRead.Add(source.Length);
        return tensor;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
