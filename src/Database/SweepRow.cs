namespace Orchestrator.Database;

/// <summary>One row of the <c>sweeps</c> table.</summary>
/// <param name="Id">The sweep's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="StoreFingerprint">The feature store its runs train on.</param>
/// <param name="State">One of <see cref="SweepStates"/>.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Repeats">Repeats per fold.</param>
/// <param name="SubmittedAt">When it was submitted (UTC).</param>
/// <param name="FinishedAt">When it was completed or cancelled (UTC); null while active or paused.</param>
public sealed record SweepRow(long Id, string Name, string StoreFingerprint, string State, int Priority, int Repeats, DateTime SubmittedAt, DateTime? FinishedAt);
