using static TorchSharp.torch;

namespace Orchestrator.Models.Fusion;

/// <summary>Table 3's combination: the mean of two models' logits for the same utterances.</summary>
public static class LogitAveraging
{
    /// <summary>(B, C) and (B, C) -> (a + b) / 2.</summary>
    public static Tensor Combine(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"LogitAveraging: logits ({string.Join(", ", a.shape)}) and ({string.Join(", ", b.shape)}) differ in shape.");
        return (a + b) / 2;
    }
}
