namespace Orchestrator.Database;

/// <summary>What <see cref="RunQueue.SubmitSweepAsync"/> recorded.</summary>
/// <param name="SweepId">The new sweep's id.</param>
/// <param name="RunsTotal">Runs the sweep asks for: configurations x folds x repeats.</param>
/// <param name="RunsNew">Runs that did not exist and were queued.</param>
/// <param name="RunsAlreadyFinished">Runs another sweep had already run to success: linked, not run again.</param>
/// <param name="RunsRequeued">Runs that had failed or been cancelled and were queued again with fresh attempts.</param>
public sealed record SweepSubmissionResult(long SweepId, int RunsTotal, int RunsNew, int RunsAlreadyFinished, int RunsRequeued);
