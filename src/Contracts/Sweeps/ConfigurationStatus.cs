namespace Orchestrator.Contracts.Sweeps;

/// <summary>One configuration of a sweep: every run it asked for, and the scores of those that succeeded.</summary>
/// <param name="SweepId">The sweep.</param>
/// <param name="Key">The configuration's key, e.g. <c>late:T+F</c>.</param>
/// <param name="Model">linear, transformer, late, coattention or concat.</param>
/// <param name="Streams">Stream letters joined by '+'.</param>
/// <param name="Runs">Its runs by repeat, then fold.</param>
/// <param name="UnweightedAccuracy">Test UA over its succeeded runs.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigurationStatus(
    [property: Id(0)] long SweepId,
    [property: Id(1)] string Key,
    [property: Id(2)] string Model,
    [property: Id(3)] string Streams,
    [property: Id(4)] IReadOnlyList<RunStatus> Runs,
    [property: Id(5)] ScoreSummary UnweightedAccuracy);
