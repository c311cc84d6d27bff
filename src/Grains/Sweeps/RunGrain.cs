using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orleans.Concurrency;

namespace Orchestrator.Grains.Sweeps;

/// <summary>
/// One run, keyed by its id: reads its row and cancels it in PostgreSQL. Workers move a run through
/// its life in the database (lease, start, heartbeats with the epoch reached, result or failed attempt)
/// without calling here, so the grain keeps no copy of any of it: a copy would disagree with the row
/// as soon as a worker wrote again.
/// </summary>
/// <remarks>
/// A stateless worker: holding nothing, it may be activated wherever it is called, and a client's call
/// is answered by the coordinator whose gateway took it, never by a worker silo.
/// </remarks>
[StatelessWorker]
public sealed class RunGrain(RunQueue queue) : Grain, IRunGrain
{
    private long Id => this.GetPrimaryKeyLong();

    public async Task<RunStatus> GetStatus() =>
        Status(await queue.GetRunAsync(Id) ?? throw new ArgumentException($"There is no run {Id}."));

    public Task<bool> Cancel() => queue.CancelRunAsync(Id);

    internal static RunStatus Status(RunDetail run) =>
        new(run.Id, run.StoreFingerprint, run.ConfigurationKey, run.Fold, run.Repeat, Enum.Parse<RunState>(run.State, ignoreCase: true),
            run.Attempts, run.MaxAttempts, run.Worker, run.Epoch, Utc(run.QueuedAt), run.StartedAt is { } started ? Utc(started) : null,
            run.FinishedAt is { } finished ? Utc(finished) : null, run.Error, run.LogTail, run.Ua);

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
