namespace Orchestrator.Database;

/// <summary>One row of the <c>runs</c> table: a run's identity and where its life cycle stands.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="StoreFingerprint">The feature store.</param>
/// <param name="ConfigurationKey">The configuration.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat, from 1.</param>
/// <param name="State">One of <see cref="RunStates"/>.</param>
/// <param name="Attempts">Leases taken so far.</param>
/// <param name="MaxAttempts">Leases allowed before the run fails for good.</param>
/// <param name="Worker">The worker holding the lease, or the last one that held it.</param>
/// <param name="LeaseExpiresAt">When the current lease runs out unless renewed (UTC).</param>
/// <param name="Epoch">The last epoch a heartbeat reported.</param>
/// <param name="QueuedAt">When it was first queued (UTC).</param>
/// <param name="StartedAt">When its current or last attempt started training (UTC).</param>
/// <param name="FinishedAt">When it succeeded, failed for good or was cancelled (UTC).</param>
/// <param name="Error">The last failed attempt's error.</param>
/// <param name="LogTail">The last lines the last failed attempt printed.</param>
public sealed record RunRow(
    long Id,
    string StoreFingerprint,
    string ConfigurationKey,
    int Fold,
    int Repeat,
    string State,
    int Attempts,
    int MaxAttempts,
    string? Worker,
    DateTime? LeaseExpiresAt,
    int? Epoch,
    DateTime QueuedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    string? LogTail);
