namespace Orchestrator.Models.Fusion;

/// <summary>The model families of method.md section 5 (the paper's Tables 1-3).</summary>
public enum ModelKind
{
    /// <summary>One stream, layer weighting and a branch (Table 1 "Linear"): late fusion of a single stream.</summary>
    Linear,

    /// <summary>One stream, layer weighting, self-attention encoder layers, then a branch (Table 1 "Transformer encoder").</summary>
    Transformer,

    /// <summary>Late fusion (Eq. 2-3): a branch per stream, logits summed.</summary>
    Late,

    /// <summary>Coattention early fusion (Eq. 4): text with each speech stream.</summary>
    Coattention,

    /// <summary>Concatenation early fusion: text and one speech sequence joined along the sequence axis, one branch.</summary>
    Concat,
}
