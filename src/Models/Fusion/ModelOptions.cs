namespace Orchestrator.Models.Fusion;

/// <summary>
/// Hyper-parameters of the fusion models. Defaults are method.md sections 5-6; the paper gives
/// none of the hidden sizes, so every one is configurable.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Hidden width of a <see cref="Branch"/>'s two feed-forward layers.</summary>
    public int BranchWidth { get; init; } = 128;

    /// <summary>Dropout probability after every feed-forward layer except the output, and in attention.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Attention heads; must divide the model width (the text embedding width for coattention).</summary>
    public int AttentionHeads { get; init; } = 8;

    /// <summary>Feed-forward width of an encoder layer as a multiple of the model width.</summary>
    public int FeedForwardMultiplier { get; init; } = 4;

    /// <summary>Layers of each coattention block.</summary>
    public int CoattentionLayers { get; init; } = 3;

    /// <summary>Self-attention layers of the Table 1 transformer encoder.</summary>
    public int TransformerLayers { get; init; } = 3;

    /// <summary>How layer weights are made positive and normalised (method.md section 4).</summary>
    public LayerWeightingMode LayerWeighting { get; init; } = LayerWeightingMode.NormalisedAbs;

    /// <summary>Adam learning rate of the feed-forward models (Linear, Late, Concat).</summary>
    public double FeedForwardLearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate of the models with attention (Coattention, Transformer).</summary>
    public double AttentionLearningRate { get; init; } = 5e-5;

    /// <summary>When set, the learning rate of every model kind.</summary>
    public double? LearningRateOverride { get; init; }

    /// <summary>Output classes (4: ang, hap+exc, sad, neu).</summary>
    public int Classes { get; init; } = 4;

    /// <summary>The Adam learning rate for <paramref name="kind"/> (method.md section 6).</summary>
    public double LearningRate(ModelKind kind) => LearningRateOverride ?? kind switch
    {
        ModelKind.Linear or ModelKind.Late or ModelKind.Concat => FeedForwardLearningRate,
        ModelKind.Coattention or ModelKind.Transformer => AttentionLearningRate,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Throws with a message naming the first option out of range.</summary>
    public void Validate()
    {
        if (BranchWidth < 1) throw new ArgumentException($"BranchWidth must be positive, got {BranchWidth}.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new ArgumentException($"Dropout must be in [0, 1), got {Dropout}.");
        if (AttentionHeads < 1) throw new ArgumentException($"AttentionHeads must be positive, got {AttentionHeads}.");
        if (FeedForwardMultiplier < 1) throw new ArgumentException($"FeedForwardMultiplier must be positive, got {FeedForwardMultiplier}.");
        if (CoattentionLayers < 1) throw new ArgumentException($"CoattentionLayers must be positive, got {CoattentionLayers}.");
        if (TransformerLayers < 1) throw new ArgumentException($"TransformerLayers must be positive, got {TransformerLayers}.");
        if (Classes < 2) throw new ArgumentException($"Classes must be at least 2, got {Classes}.");
        foreach (var (name, rate) in new[] { ("FeedForwardLearningRate", FeedForwardLearningRate), ("AttentionLearningRate", AttentionLearningRate), ("LearningRateOverride", LearningRateOverride ?? 1) })
            if (!(rate > 0) || double.IsInfinity(rate)) throw new ArgumentException($"{name} must be a positive number, got {rate}.");
    }
}
