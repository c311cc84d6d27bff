using System.Text.Json;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>Writes tensors in the safetensors format (see <see cref="SafeTensorsFile"/>).</summary>
public static class SafeTensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> in the given order (any device or dtype with a safetensors
    /// name; copied to CPU, contiguous). The file is written beside <paramref name="path"/> and
    /// renamed, so no reader sees half a file.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.ToList();
        var duplicate = entries.GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Tensor name '{duplicate.Key}' appears twice.", nameof(tensors));
        if (entries.Any(e => e.Key == "__metadata__")) throw new ArgumentException("'__metadata__' is reserved.", nameof(tensors));

        var header = Header(entries, metadata);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in entries)
            {
                using var scope = NewDisposeScope();
                var cpu = tensor.detach().cpu().contiguous();
                stream.Write(cpu.bytes);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] Header(List<KeyValuePair<string, Tensor>> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var tensor = entries[i].Value;
                var size = tensor.numel() * TensorDTypes.ElementSize(tensor.dtype);
                json.WriteStartObject(entries[i].Key);
                json.WriteString("dtype", TensorDTypes.SafeTensorsName(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // Padded with spaces so that the data starts 8-byte aligned, as the reference writer does.
        var padding = (8 - (int)(buffer.Length % 8)) % 8;
        for (var i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
