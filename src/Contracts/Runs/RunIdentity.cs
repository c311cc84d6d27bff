namespace Orchestrator.Contracts.Runs;

/// <summary>
/// The identity of one training run: a configuration of the sweep, evaluated on one fold of one
/// repeat. It is the unique key of a run everywhere (grain keys, PostgreSQL), so that a run that
/// finished is never run again.
/// </summary>
/// <param name="Configuration">The configuration's stable name, e.g. <c>late:T+F+S</c>.</param>
/// <param name="Fold">The test session, 1 to 5 (leave-one-session-out).</param>
/// <param name="Repeat">The repeat, 1 to N; it fixes the seed and the validation split.</param>
[GenerateSerializer, Immutable]
public sealed record RunIdentity(
    [property: Id(0)] string Configuration,
    [property: Id(1)] int Fold,
    [property: Id(2)] int Repeat)
{
    /// <summary>The grain key form, <c>configuration/fold/repeat</c>.</summary>
    public override string ToString() => $"{Configuration}/{Fold}/{Repeat}";
}
