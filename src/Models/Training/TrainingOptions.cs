namespace Orchestrator.Models.Training;

/// <summary>How a run trains (method.md section 6); defaults are the method's.</summary>
/// <param name="BatchSize">Utterances per step.</param>
/// <param name="MaxEpochs">Cap on epochs.</param>
/// <param name="Patience">Epochs without a better validation UA before stopping.</param>
/// <param name="ValidationFraction">Share of the training sessions' utterances held out for early stopping.</param>
/// <param name="StratifiedValidation">Draw the validation share per class (off in the paper).</param>
/// <param name="PerSpeakerStandardisation">Standardise each speaker with their own statistics instead of the training split's.</param>
/// <param name="BatchOrder">How each epoch's batches are drawn (<see cref="Training.BatchOrder"/>); the method shuffles.</param>
public sealed record TrainingOptions(
    int BatchSize = 32,
    int MaxEpochs = 100,
    int Patience = 5,
    double ValidationFraction = 0.1,
    bool StratifiedValidation = false,
    bool PerSpeakerStandardisation = false,
    BatchOrder BatchOrder = BatchOrder.Shuffled)
{
    /// <summary>The method's defaults.</summary>
    public static TrainingOptions Default { get; } = new();

    /// <summary>Checks the values; throws naming the option.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"batch size {BatchSize} must be at least 1.");
        if (MaxEpochs < 1) throw new ArgumentException($"max epochs {MaxEpochs} must be at least 1.");
        if (Patience < 1) throw new ArgumentException($"patience {Patience} must be at least 1.");
        if (ValidationFraction is <= 0 or >= 1) throw new ArgumentException($"validation fraction {ValidationFraction} must lie strictly between 0 and 1.");
        if (!Enum.IsDefined(BatchOrder)) throw new ArgumentException($"batch order {(int)BatchOrder} is not one of {string.Join(", ", Enum.GetNames<BatchOrder>())}.");
    }
}
