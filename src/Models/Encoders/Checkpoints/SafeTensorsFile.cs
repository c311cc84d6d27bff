using System.Buffers.Binary;
using System.Text.Json;
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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: the safetensors header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: the safetensors header is not a JSON object.");
            var tensors = new Dictionary<string, StoredTensor>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var entry in property.Value.EnumerateObject())
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                    continue;
                }
                tensors[property.Name] = ParseEntry(path, property.Name, property.Value, dataLength, reader);
            }
            return (tensors, metadata);
        }
    }

    private static StoredTensor ParseEntry(string path, string name, JsonElement entry, long dataLength, SafeTensorsFile reader)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw new CheckpointException($"{Where()} needs a header entry {{dtype, shape, data_offsets: [begin, end]}}.");

        var dtypeName = dtypeElement.GetString()!;
        var dtype = TensorDTypes.FromSafeTensorsName(dtypeName)
            ?? throw new CheckpointException($"{Where()} has the unsupported dtype '{dtypeName}'.");
        var shape = shapeElement.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0
            ? v : throw new CheckpointException($"{Where()} has an invalid shape {shapeElement.GetRawText()}.")).ToArray();
        var offsets = offsetsElement.EnumerateArray().Select(o => o.TryGetInt64(out var v) && v >= 0
            ? v : throw new CheckpointException($"{Where()} has invalid data_offsets {offsetsElement.GetRawText()}.")).ToArray();
        var (begin, end) = (offsets[0], offsets[1]);
        var expectedBytes = shape.Aggregate(1L, (n, d) => checked(n * d)) * TensorDTypes.ElementSize(dtype);
        if (end < begin || end - begin != expectedBytes)
            throw new CheckpointException($"{Where()}: data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtypeName} {FormatShape(shape)} needs {expectedBytes}.");
        if (end > dataLength)
            throw new CheckpointException($"{Where()}: data ends at byte {end} but the file holds only {dataLength} data bytes (truncated file?).");

        return new StoredTensor(name, dtype, shape, () => reader.ReadTensor(name, dtype, shape, begin));
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
