namespace Orchestrator.Models.Training;

/// <summary>
/// Early stopping on a validation score where higher is better (method.md section 6: validation
/// UA, patience 5, at most 100 epochs): says after each epoch whether it is the new best (the
/// trainer then snapshots the weights) and whether to stop.
/// </summary>
/// <remarks>
/// Only a strictly higher score is an improvement, so among equal scores the earliest epoch stays
/// the best; a NaN score never improves. Patience p: training stops after p consecutive epochs
/// without improvement (the Keras and Lightning convention), or after <see cref="MaxEpochs"/>
/// epochs, whichever comes first. Epochs are numbered from 1.
/// </remarks>
public sealed class EarlyStopping
{
    /// <summary>The method's defaults.</summary>
    public const int DefaultPatience = 5, DefaultMaxEpochs = 100;

    public EarlyStopping(int patience = DefaultPatience, int maxEpochs = DefaultMaxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEpochs);
        Patience = patience;
        MaxEpochs = maxEpochs;
    }

    public int Patience { get; }

    public int MaxEpochs { get; }

    /// <summary>Epochs observed so far.</summary>
    public int EpochsRun { get; private set; }

    /// <summary>The epoch (from 1) with the highest score so far; 0 before any epoch or while every score was NaN.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The highest score so far; negative infinity before any.</summary>
    public double BestScore { get; private set; } = double.NegativeInfinity;

    /// <summary>Epochs since the best one (all epochs when none was best).</summary>
    public int EpochsWithoutImprovement => EpochsRun - BestEpoch;

    /// <summary>Whether training should stop: patience exhausted or the epoch limit reached.</summary>
    public bool ShouldStop => EpochsWithoutImprovement >= Patience || EpochsRun >= MaxEpochs;

    /// <summary>Records the validation score of the next epoch; true when it is the new best.</summary>
    public bool Observe(double score)
    {
        if (ShouldStop) throw new InvalidOperationException($"Early stopping already said stop after epoch {EpochsRun} (best epoch {BestEpoch}); no further epoch should run.");
        EpochsRun++;
        if (!(score > BestScore)) return false;
        BestScore = score;
        BestEpoch = EpochsRun;
        return true;
    }
}
