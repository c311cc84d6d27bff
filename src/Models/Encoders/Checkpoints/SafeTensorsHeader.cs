using System.Text.Json;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>One tensor of a safetensors header: its dtype, shape and byte range within the data section.</summary>
internal sealed record SafeTensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

/// <summary>
/// Parses and validates the JSON header of a safetensors file (<c>name -> {dtype, shape, data_offsets}</c>
/// plus an optional <c>__metadata__</c> string map): every entry is well formed, of a supported dtype, its
/// byte range matches its shape and lies within the data section. Shared by <see cref="SafeTensorsFile"/>
/// (checkpoints) and the feature store's shards, which differ only in what they call the file and in
/// the exception they throw; every message names the file and, where there is one, the tensor.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>Creates the exception to throw for a message (and the exception that caused it, if any).</summary>
    public delegate Exception ErrorFactory(string message, Exception? inner);

    /// <param name="path">The file, for messages.</param>
    /// <param name="header">The header's JSON bytes.</param>
    /// <param name="dataLength">The number of bytes after the header.</param>
    /// <param name="headerName">What messages call the header ("safetensors header", "shard header").</param>
    /// <param name="fileName">What messages call the file ("file", "shard").</param>
    /// <param name="error">Creates the exception to throw.</param>
    /// <returns>The tensors by name, in header order, and the metadata (non-string values as raw JSON).</returns>
    public static (Dictionary<string, SafeTensorsEntry> Tensors, Dictionary<string, string> Metadata) Parse(
        string path, byte[] header, long dataLength, string headerName, string fileName, ErrorFactory error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw error($"{path}: the {headerName} is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw error($"{path}: the {headerName} is not a JSON object.", null);
            var tensors = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw error($"{path}: __metadata__ is not a JSON object.", null);
                    foreach (var entry in property.Value.EnumerateObject())
                        metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                    continue;
                }
                tensors[property.Name] = ParseEntry(path, property.Name, property.Value, dataLength, fileName, error);
            }
            return (tensors, metadata);
        }
    }

    private static SafeTensorsEntry ParseEntry(string path, string name, JsonElement entry, long dataLength, string fileName, ErrorFactory error)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw error($"{Where()} needs a header entry {{dtype, shape, data_offsets: [begin, end]}}.", null);

        var dtypeName = dtypeElement.GetString()!;
        var dtype = TensorDTypes.FromSafeTensorsName(dtypeName)
            ?? throw error($"{Where()} has the unsupported dtype '{dtypeName}'.", null);
        var shape = shapeElement.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0
            ? v : throw error($"{Where()} has an invalid shape {shapeElement.GetRawText()}.", null)).ToArray();
        var offsets = offsetsElement.EnumerateArray().Select(o => o.TryGetInt64(out var v) && v >= 0
            ? v : throw error($"{Where()} has invalid data_offsets {offsetsElement.GetRawText()}.", null)).ToArray();
        var (begin, end) = (offsets[0], offsets[1]);
        var expectedBytes = shape.Aggregate(1L, (n, d) => checked(n * d)) * TensorDTypes.ElementSize(dtype);
        if (end < begin || end - begin != expectedBytes)
            throw error($"{Where()}: data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtypeName} {SafeTensorsFile.FormatShape(shape)} needs {expectedBytes}.", null);
        if (end > dataLength)
            throw error($"{Where()}: data ends at byte {end} but the {fileName} holds only {dataLength} data bytes (truncated {fileName}?).", null);

        return new SafeTensorsEntry(name, dtype, shape, begin, end);
    }
}
