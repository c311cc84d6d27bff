namespace Orchestrator.Contracts.Sweeps;

/// <summary>One run (a fold of a repeat of a configuration) as its row in PostgreSQL holds it now.</summary>
/// <param name="Id">The run's id: the key of its <see cref="IRunGrain"/>.</param>
/// <param name="StoreFingerprint">The feature store it trains on.</param>
/// <param name="ConfigurationKey">Its configuration, e.g. <c>late:T+F</c>.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat, from 1: which seed and validation split.</param>
/// <param name="State">Where its life stands.</param>
/// <param name="Attempt">Leases taken so far: the attempt under way, or the last one.</param>
/// <param name="MaxAttempts">Attempts allowed before it fails for good.</param>
/// <param name="Worker">The worker holding its lease, or the last one that held it; null before the first lease.</param>
/// <param name="Epoch">The last epoch its worker reported; null before the first report of an attempt.</param>
/// <param name="QueuedAt">When it was queued.</param>
/// <param name="StartedAt">When its current or last attempt started training.</param>
/// <param name="FinishedAt">When it succeeded, failed for good or was cancelled.</param>
/// <param name="Error">The last failed attempt's reason (kept while a later attempt runs); null when no attempt failed.</param>
/// <param name="LogTail">The last lines the last failed attempt printed.</param>
/// <param name="UnweightedAccuracy">Test UA as a fraction (0.75), once it succeeded; null before.</param>
[GenerateSerializer, Immutable]
public sealed record RunStatus(
    [property: Id(0)] long Id,
    [property: Id(1)] string StoreFingerprint,
    [property: Id(2)] string ConfigurationKey,
    [property: Id(3)] int Fold,
    [property: Id(4)] int Repeat,
    [property: Id(5)] RunState State,
    [property: Id(6)] int Attempt,
    [property: Id(7)] int MaxAttempts,
    [property: Id(8)] string? Worker,
    [property: Id(9)] int? Epoch,
    [property: Id(10)] DateTimeOffset QueuedAt,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] string? Error,
    [property: Id(14)] string? LogTail,
    [property: Id(15)] double? UnweightedAccuracy)
{
    /// <summary>Whether it will not run again: succeeded, failed for good, or cancelled.</summary>
    public bool Finished => State is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
}
