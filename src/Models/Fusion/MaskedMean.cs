using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Fusion;

/// <summary>The global average (GA) of method.md section 5: the mean over the valid (unpadded) elements only.</summary>
public static class MaskedMean
{
    /// <summary>
    /// (B, N, D) and mask (B, N) bool -> (B, D). Padded elements contribute nothing, whatever they
    /// hold (they are replaced by zero before summing, so NaN there cannot leak). A row without any
    /// valid element gives zeros, not NaN.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor mask)
    {
        if (x.dim() != 3 || mask.dim() != 2 || x.shape[0] != mask.shape[0] || x.shape[1] != mask.shape[1])
            throw new ArgumentException($"MaskedMean: expected x (batch, length, width) and mask (batch, length), got ({string.Join(", ", x.shape)}) and ({string.Join(", ", mask.shape)}).");
        using var scope = NewDisposeScope();
        // Scalars explicit and disposed after their call: implicit ones may be finalized mid-call (RunAdam's remarks).
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        var valid = mask.unsqueeze(-1);                                         // (B, N, 1)
        var sum = x.masked_fill(valid.logical_not(), zero).sum(1);              // (B, D)
        var count = valid.sum(1).to_type(x.dtype).clamp_min(one);               // (B, 1)
        return (sum / count).MoveToOuterDisposeScope();
    }
}
