namespace Orchestrator.Contracts.Sweeps;

/// <summary>A score over runs: mean and sample standard deviation, as fractions (0.75, not 75).</summary>
/// <param name="Runs">The runs it averages; 0 before the first succeeded.</param>
/// <param name="Mean">Their mean; null without runs.</param>
/// <param name="StandardDeviation">Their sample standard deviation (n - 1); null below two runs.</param>
[GenerateSerializer, Immutable]
public sealed record ScoreSummary(
    [property: Id(0)] int Runs,
    [property: Id(1)] double? Mean,
    [property: Id(2)] double? StandardDeviation);
