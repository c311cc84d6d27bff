namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// The worker silos (one registry, key 0): each reports its slots and load every few seconds;
/// clients list them. Runs never depend on it: leases live in PostgreSQL.
/// </summary>
public interface IWorkerRegistryGrain : IGrainWithIntegerKey
{
    Task Report(WorkerStatus status);

    Task<IReadOnlyList<WorkerStatus>> List();
}
