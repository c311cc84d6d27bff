using System.Buffers.Binary;
using System.Text.Json;
using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Writes one shard in the safetensors format, streaming the buffered bytes (no second copy as
/// tensors), to <c>NAME.tmp</c>; flushes it to disk and renames it to <c>NAME</c>. A kill before the
/// rename leaves only a <c>.tmp</c> file, which the next writer deletes: a shard is visible whole or
/// not at all.
/// </summary>
internal static class ShardWriter
{
    public static long Write(string path, IReadOnlyList<PendingTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; this writer assumes a little-endian machine.");
        var header = Header(tensors, metadata);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var tensor in tensors) stream.Write(tensor.Data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: false);
        return new FileInfo(path).Length;
    }

    private static byte[] Header(IReadOnlyList<PendingTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", TensorDTypes.SafeTensorsName(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.LongLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.LongLength;
            }
            json.WriteEndObject();
        }
        // Spaces so that the data starts 8-byte aligned, as the reference writer does.
        var padding = (8 - (int)(buffer.Length % 8)) % 8;
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
