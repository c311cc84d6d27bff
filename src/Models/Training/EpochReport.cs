namespace Orchestrator.Models.Training;

/// <summary>One finished epoch of a run, for progress and telemetry.</summary>
public readonly record struct EpochReport(int Epoch, int MaxEpochs, double TrainingLoss, double ValidationUnweightedAccuracy, bool Best, double SamplesPerSecond);
