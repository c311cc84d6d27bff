namespace Orchestrator.Models.Training;

/// <summary>Progress of a cross-validation: runs finished of all, and the epoch of the run under way.</summary>
public readonly record struct CrossValidationProgress(int RunsDone, int RunsTotal, int Fold, int Repeat, EpochReport? Epoch);
