namespace Orchestrator.Contracts.Sweeps;

/// <summary>The cluster's sweeps (one registry, key 0): submission and listing.</summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    Task<SweepSubmitted> Submit(SweepRequest request);

    Task<IReadOnlyList<SweepStatus>> List();
}
