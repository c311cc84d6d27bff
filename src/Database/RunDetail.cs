namespace Orchestrator.Database;

/// <summary>One run's row of the <c>runs</c> table with its test UA once it succeeded: what a run's grain reports.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="StoreFingerprint">The feature store.</param>
/// <param name="ConfigurationKey">The configuration.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat, from 1.</param>
/// <param name="State">One of <see cref="RunStates"/>.</param>
/// <param name="Attempts">Leases taken so far.</param>
/// <param name="MaxAttempts">Leases allowed before the run fails for good.</param>
/// <param name="Worker">The worker holding the lease, or the last one that held it.</param>
/// <param name="Epoch">The last epoch a heartbeat reported.</param>
/// <param name="QueuedAt">When it was queued (UTC).</param>
/// <param name="StartedAt">When its current or last attempt started training (UTC).</param>
/// <param name="FinishedAt">When it succeeded, failed for good or was cancelled (UTC).</param>
/// <param name="Error">The last failed attempt's error.</param>
/// <param name="LogTail">The last lines the last failed attempt printed.</param>
/// <param name="Ua">Its test UA as a fraction, from <c>results</c>; null until it succeeded.</param>
public sealed record RunDetail(
    long Id,
    string StoreFingerprint,
    string ConfigurationKey,
    int Fold,
    int Repeat,
    string State,
    int Attempts,
    int MaxAttempts,
    string? Worker,
    int? Epoch,
    DateTime QueuedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    string? LogTail,
    double? Ua);
