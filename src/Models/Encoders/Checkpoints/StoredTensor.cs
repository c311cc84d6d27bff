using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// One tensor of a checkpoint, described without reading its data: <see cref="Read"/> loads it
/// (a new CPU tensor in the stored dtype, owned by the caller) only when the model needs it.
/// </summary>
public sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, Func<Tensor> Read)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>The shape as <c>[a, b, c]</c>, for messages.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
