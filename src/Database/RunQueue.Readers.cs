using Dapper;
using Orchestrator.Models.Training;

namespace Orchestrator.Database;

/// <summary>What the queue holds, for progress, listings and results; each reader is one query.</summary>
public sealed partial class RunQueue
{
    /// <summary>The sweep with id <paramref name="sweepId"/>; null when there is none.</summary>
    public async Task<SweepRow?> GetSweepAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SweepRow>(new CommandDefinition(
            $"{SelectSweeps} WHERE id = @SweepId", new { SweepId = sweepId }, cancellationToken: ct));
    }

    /// <summary>Every sweep, oldest first.</summary>
    public async Task<IReadOnlyList<SweepRow>> ListSweepsAsync(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<SweepRow>(new CommandDefinition($"{SelectSweeps} ORDER BY id", cancellationToken: ct))).ToList();
    }

    /// <summary>The sweep's runs counted by state, per configuration in grid order, with the mean wall time of the succeeded ones.</summary>
    public async Task<IReadOnlyList<SweepConfigurationProgress>> SweepProgressAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<SweepConfigurationProgress>(new CommandDefinition("""
            SELECT sc.configuration_key AS ConfigurationKey,
                   count(r.id) FILTER (WHERE r.state = 'queued')::integer    AS Queued,
                   count(r.id) FILTER (WHERE r.state = 'leased')::integer    AS Leased,
                   count(r.id) FILTER (WHERE r.state = 'running')::integer   AS Running,
                   count(r.id) FILTER (WHERE r.state = 'succeeded')::integer AS Succeeded,
                   count(r.id) FILTER (WHERE r.state = 'failed')::integer    AS Failed,
                   count(r.id) FILTER (WHERE r.state = 'cancelled')::integer AS Cancelled,
                   avg(s.wall_seconds) FILTER (WHERE r.state = 'succeeded')  AS MeanWallSeconds
            FROM sweep_configurations sc
            LEFT JOIN (sweep_runs sr JOIN runs r ON r.id = sr.run_id)
                   ON sr.sweep_id = sc.sweep_id AND r.configuration_key = sc.configuration_key
            LEFT JOIN results s ON s.run_id = r.id
            WHERE sc.sweep_id = @SweepId
            GROUP BY sc.configuration_key, sc.position
            ORDER BY sc.position
            """, new { SweepId = sweepId }, cancellationToken: ct))).ToList();
    }

    /// <summary>The sweep's runs, by configuration in grid order, then repeat, then fold.</summary>
    public async Task<IReadOnlyList<RunRow>> RunsAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<RunRow>(new CommandDefinition("""
            SELECT r.id, r.store_fingerprint AS StoreFingerprint, r.configuration_key AS ConfigurationKey, r.fold, r.repeat, r.state,
                   r.attempts, r.max_attempts AS MaxAttempts, r.worker, r.lease_expires_at AS LeaseExpiresAt, r.epoch,
                   r.queued_at AS QueuedAt, r.started_at AS StartedAt, r.finished_at AS FinishedAt, r.error, r.log_tail AS LogTail
            FROM sweep_runs sr
            JOIN runs r ON r.id = sr.run_id
            JOIN sweep_configurations sc ON sc.sweep_id = sr.sweep_id AND sc.configuration_key = r.configuration_key
            WHERE sr.sweep_id = @SweepId
            ORDER BY sc.position, r.repeat, r.fold
            """, new { SweepId = sweepId }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// The results of every succeeded run of <paramref name="configurationKey"/> on the store, by
    /// repeat then fold, rebuilt from the tables: what <see cref="Combination.Evaluate"/> and
    /// <see cref="CrossValidationSummary"/> take.
    /// </summary>
    public async Task<IReadOnlyList<RunResult>> ResultsAsync(string storeFingerprint, string configurationKey, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ResultRows.ReadAsync(connection, storeFingerprint, configurationKey, ct);
    }

    private const string SelectSweeps = """
        SELECT id, name, store_fingerprint AS StoreFingerprint, state, priority, repeats, submitted_at AS SubmittedAt, finished_at AS FinishedAt
        FROM sweeps
        """;
}
