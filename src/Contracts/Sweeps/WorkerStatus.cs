namespace Orchestrator.Contracts.Sweeps;

/// <summary>A worker silo as it last reported itself: its slots and the runs it trains.</summary>
/// <param name="Name">The worker's name (unique in the cluster: host and process).</param>
/// <param name="Slots">Runs it trains at once.</param>
/// <param name="Running">Runs it trains now.</param>
/// <param name="ReportedAt">When it reported (the heartbeat).</param>
[GenerateSerializer, Immutable]
public sealed record WorkerStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] int Slots,
    [property: Id(2)] int Running,
    [property: Id(3)] DateTimeOffset ReportedAt);
