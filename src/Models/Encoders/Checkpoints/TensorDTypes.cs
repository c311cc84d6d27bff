using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>The dtype names of the safetensors header and their TorchSharp element types.</summary>
public static class TensorDTypes
{
    private static readonly (string Name, ScalarType Type, int Size)[] Known =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>The element type of a safetensors dtype name, or null when the name is unknown.</summary>
    public static ScalarType? FromSafeTensorsName(string name) =>
        Known.Where(k => k.Name == name).Select(k => (ScalarType?)k.Type).FirstOrDefault();

    /// <summary>The safetensors dtype name of an element type.</summary>
    public static string SafeTensorsName(ScalarType type) =>
        Known.Where(k => k.Type == type).Select(k => k.Name).FirstOrDefault()
        ?? throw new ArgumentException($"safetensors has no dtype for {type}.", nameof(type));

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(ScalarType type) =>
        Known.Where(k => k.Type == type).Select(k => k.Size).FirstOrDefault() is var size and > 0
            ? size
            : throw new ArgumentException($"No element size is known for {type}.", nameof(type));
}
