using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;

namespace Orchestrator.Grains.Sweeps;

/// <summary>
/// One sweep: progress per configuration read from PostgreSQL, and pause, resume and cancel written
/// there. Workers see a paused or cancelled sweep at their next heartbeat (the heartbeat is refused
/// for a run no active sweep wants) and stop that run at its next epoch boundary.
/// </summary>
public sealed class SweepGrain(RunQueue queue) : Grain, ISweepGrain
{
    private long Id => this.GetPrimaryKeyLong();

    public async Task<SweepStatus> GetStatus()
    {
        var sweep = await queue.GetSweepAsync(Id) ?? throw new ArgumentException($"There is no sweep {Id}.");
        var progress = await queue.SweepProgressAsync(Id);
        return new SweepStatus(sweep.Id, sweep.Name, Parse(sweep.State), sweep.Priority, new DateTimeOffset(DateTime.SpecifyKind(sweep.SubmittedAt, DateTimeKind.Utc)),
            progress.Select(p => new ConfigurationProgress(p.ConfigurationKey, p.Queued, p.Leased, p.Running, p.Succeeded, p.Failed, p.Cancelled, p.MeanWallSeconds)).ToList());
    }

    public Task Pause() => Set(SweepState.Paused, SweepState.Active);

    public Task Resume() => Set(SweepState.Active, SweepState.Paused);

    public Task Cancel() => Set(SweepState.Cancelled, SweepState.Active, SweepState.Paused);

    private async Task Set(SweepState state, params SweepState[] from)
    {
        var status = await GetStatus();
        if (status.State == state) return;
        if (!from.Contains(status.State))
            throw new InvalidOperationException($"Sweep {Id} ({status.Name}) is {status.State.ToString().ToLowerInvariant()}: it cannot be made {state.ToString().ToLowerInvariant()}.");
        await queue.SetSweepStateAsync(Id, state.ToString().ToLowerInvariant());
    }

    private static SweepState Parse(string state) => Enum.Parse<SweepState>(state, ignoreCase: true);
}
