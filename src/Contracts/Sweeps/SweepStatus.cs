namespace Orchestrator.Contracts.Sweeps;

/// <summary>A sweep and the progress of each of its configurations.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus(
    [property: Id(0)] long Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] int Priority,
    [property: Id(4)] DateTimeOffset SubmittedAt,
    [property: Id(5)] IReadOnlyList<ConfigurationProgress> Configurations)
{
    public int Total => Configurations.Sum(c => c.Total);

    public int Finished => Configurations.Sum(c => c.Finished);
}
