using Orchestrator.Database;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// What a worker does with a leased run once it holds it: the only part of the lease, start,
/// heartbeat, complete or fail cycle of <see cref="RunWorker"/> that differs between a real
/// training run (<see cref="ProcessRunExecutor"/>) and a run that trains nothing
/// (<see cref="NoopRunExecutor"/>, for scheduler tests and benchmarks).
/// </summary>
public interface IRunExecutor
{
    /// <summary>
    /// Executes <paramref name="run"/> to its end. <paramref name="onEpoch"/> is called with the
    /// number of each epoch as it finishes (the worker records it with the next heartbeat, and stops
    /// a run whose lease was lost there). When <paramref name="cancellation"/> fires the executor stops
    /// at once, returning or throwing <see cref="OperationCanceledException"/>; what it returns then is ignored.
    /// </summary>
    Task<RunOutcome> ExecuteAsync(LeasedRun run, Action<int> onEpoch, CancellationToken cancellation);
}
