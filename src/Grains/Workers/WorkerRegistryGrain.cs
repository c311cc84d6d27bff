using Orchestrator.Contracts.Sweeps;

namespace Orchestrator.Grains.Workers;

/// <summary>
/// The last report of every worker silo, in memory: after a coordinator restart the list fills
/// again within one report interval. A worker silent for a minute is dropped.
/// </summary>
public sealed class WorkerRegistryGrain(TimeProvider clock) : Grain, IWorkerRegistryGrain
{
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, WorkerStatus> _workers = new(StringComparer.Ordinal);

    public Task Report(WorkerStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _workers[status.Name] = status;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerStatus>> List()
    {
        var now = clock.GetUtcNow();
        foreach (var name in _workers.Where(w => now - w.Value.ReportedAt > Forget).Select(w => w.Key).ToList()) _workers.Remove(name);
        return Task.FromResult<IReadOnlyList<WorkerStatus>>(_workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal).ToList());
    }
}
