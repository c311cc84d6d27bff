namespace Orchestrator.Database;

/// <summary>One epoch of a run (<c>epoch_metrics</c>): what a learning curve draws.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Epoch">From 1.</param>
/// <param name="TrainingLoss">Mean training loss over the epoch.</param>
/// <param name="ValidationUa">Unweighted accuracy on the validation utterances after the epoch, a fraction.</param>
/// <param name="Best">Whether it was the best validation so far (the checkpoint early stopping keeps).</param>
public sealed record EpochMetric(long RunId, int Epoch, double TrainingLoss, double ValidationUa, bool Best);
