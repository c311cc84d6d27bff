using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>name -> {dtype, shape, data_offsets}</c> plus an optional <c>__metadata__</c> map), then the
/// raw little-endian row-major data. The header is validated in full when the file is opened;
/// tensor data is read on demand, straight into the tensor's memory.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>Headers above this size are refused: real ones are a few hundred KiB.</summary>
    private const long MaxHeaderBytes = 100L << 20;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
    }

    /// <summary>The file this was opened from.</summary>
    public string Path { get; }

    /// <summary>Every tensor, by name, in header order.</summary>
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; private set; } = new Dictionary<string, StoredTensor>();

    /// <summary>The header's <c>__metadata__</c> (string to string), empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Opens <paramref name="path"/> and validates its header; throws <see cref="CheckpointException"/> naming the problem.</summary>
    public static SafeTensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw new CheckpointException($"{path}: truncated safetensors file ({fileLength} bytes; the 8-byte header length is missing).");
            Span<byte> lengthBytes = stackalloc byte[8];
            ReadExactly(handle, lengthBytes, 0, path);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)(fileLength - 8) || headerLength > MaxHeaderBytes)
                throw new CheckpointException(
                    $"{path}: truncated or corrupt safetensors header: it claims {headerLength} bytes but the file has {fileLength - 8} after the length field.");

            var header = new byte[headerLength];
            ReadExactly(handle, header, 8, path);
            var dataStart = 8 + (long)headerLength;
            var file = new SafeTensorsFile(path, handle, dataStart);
            (file.Tensors, file.Metadata) = ParseHeader(path, header, fileLength - dataStart, file);
            return file;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads every tensor (for small files and tests; models load tensor by tensor).</summary>
    public Dictionary<string, Tensor> ReadAll() => Tensors.ToDictionary(t => t.Key, t => t.Value.Read());

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static (Dictionary<string, StoredTensor>, Dictionary<string, string>) ParseHeader(
        string path, byte[] header, long dataLength, SafeTensorsFile reader)
    {
        var (entries, metadata) = SafeTensorsHeader.Parse(path, header, dataLength, "safetensors header", "file",
            (message, inner) => new CheckpointException(message, inner));
        var tensors = entries.Values.ToDictionary(e => e.Name,
            e => new StoredTensor(e.Name, e.DType, e.Shape, () => reader.ReadTensor(e.Name, e.DType, e.Shape, e.Begin)));
        return (tensors, metadata);
    }

    private Tensor ReadTensor(string name, ScalarType dtype, long[] shape, long begin)
    {
        var tensor = empty(shape, dtype);
        try
        {
            ReadExactly(_handle, tensor.bytes, _dataStart + begin, $"{Path}: tensor '{name}'");
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string what)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; this reader assumes a little-endian machine.");
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0) throw new CheckpointException($"{what}: unexpected end of file.");
            buffer = buffer[read..];
            offset += read;
        }
    }

    internal static string FormatShape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
