namespace Orchestrator.Contracts.Sweeps;

/// <summary>What a submission did.</summary>
/// <param name="SweepId">The new sweep's id.</param>
/// <param name="Runs">Runs the grid asks for.</param>
/// <param name="Queued">Runs queued now (new, or failed/cancelled before and queued again).</param>
/// <param name="AlreadyFinished">Runs another sweep finished already: linked, never run again.</param>
[GenerateSerializer, Immutable]
public sealed record SweepSubmitted(
    [property: Id(0)] long SweepId,
    [property: Id(1)] int Runs,
    [property: Id(2)] int Queued,
    [property: Id(3)] int AlreadyFinished);
