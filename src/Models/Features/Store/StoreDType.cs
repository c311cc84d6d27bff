using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>The element type a feature store keeps its embeddings in (segment frames are always int64).</summary>
public enum StoreDType
{
    /// <summary>IEEE half precision: half the disk and memory of float32, about 3 significant digits.</summary>
    Float16,

    /// <summary>IEEE single precision: exactly what the encoders compute.</summary>
    Float32,
}

/// <summary>Names and element types of <see cref="StoreDType"/>.</summary>
public static class StoreDTypes
{
    /// <summary>The TorchSharp element type.</summary>
    public static ScalarType ScalarType(this StoreDType dtype) => dtype switch
    {
        StoreDType.Float16 => TorchSharp.torch.ScalarType.Float16,
        StoreDType.Float32 => TorchSharp.torch.ScalarType.Float32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>F16 or F32, as the safetensors header and the manifest spell it.</summary>
    public static string Name(this StoreDType dtype) => TensorDTypes.SafeTensorsName(dtype.ScalarType());

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this StoreDType dtype) => dtype == StoreDType.Float16 ? 2 : 4;

    /// <summary>Parses F16 / F32 (also float16, f16, float32, f32; case-insensitive).</summary>
    /// <exception cref="FormatException">Not one of them; the message names the value.</exception>
    public static StoreDType Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "f16" or "float16" or "fp16" or "half" => StoreDType.Float16,
        "f32" or "float32" or "fp32" or "float" => StoreDType.Float32,
        _ => throw new FormatException($"'{text}' is not a store dtype; use F16 (default) or F32."),
    };
}
