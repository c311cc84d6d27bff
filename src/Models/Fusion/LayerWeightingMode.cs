namespace Orchestrator.Models.Fusion;

/// <summary>How <see cref="LayerWeighting"/> turns its learnable weights w into a convex combination.</summary>
public enum LayerWeightingMode
{
    /// <summary>|w_l| / sum_k |w_k| (method.md section 4 default, as the work the paper follows).</summary>
    NormalisedAbs,

    /// <summary>softmax(w)_l.</summary>
    Softmax,
}
