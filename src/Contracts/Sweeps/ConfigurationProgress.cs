namespace Orchestrator.Contracts.Sweeps;

/// <summary>The runs of one configuration of a sweep, by state.</summary>
/// <param name="Key">The configuration's key: with the sweep's id, the key of its <see cref="IConfigurationGrain"/>.</param>
/// <param name="MeanRunSeconds">Mean wall time of its finished runs; null before the first finishes.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigurationProgress(
    [property: Id(0)] string Key,
    [property: Id(1)] int Queued,
    [property: Id(2)] int Leased,
    [property: Id(3)] int Running,
    [property: Id(4)] int Succeeded,
    [property: Id(5)] int Failed,
    [property: Id(6)] int Cancelled,
    [property: Id(7)] double? MeanRunSeconds)
{
    public int Total => Queued + Leased + Running + Succeeded + Failed + Cancelled;

    /// <summary>Runs that will not run again: succeeded, failed for good, or cancelled.</summary>
    public int Finished => Succeeded + Failed + Cancelled;
}
