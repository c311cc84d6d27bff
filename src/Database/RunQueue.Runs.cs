using Dapper;

namespace Orchestrator.Database;

/// <summary>Single runs and the runs of one configuration of a sweep: what the run and configuration grains read and do.</summary>
public sealed partial class RunQueue
{
    /// <summary>Run <paramref name="runId"/> with its UA once it succeeded; null when there is none.</summary>
    public async Task<RunDetail?> GetRunAsync(long runId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RunDetail>(new CommandDefinition(
            $"{SelectRunDetails} WHERE r.id = @RunId", new { RunId = runId }, cancellationToken: ct));
    }

    /// <summary>Configuration <paramref name="key"/> of sweep <paramref name="sweepId"/>; null when the sweep has no such configuration (or there is no such sweep).</summary>
    public async Task<ConfigurationRow?> GetSweepConfigurationAsync(long sweepId, string key, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ConfigurationRow>(new CommandDefinition("""
            SELECT c.key, c.model, c.streams, c.settings::text AS SettingsJson
            FROM sweep_configurations sc JOIN configurations c ON c.key = sc.configuration_key
            WHERE sc.sweep_id = @SweepId AND sc.configuration_key = @Key
            """, new { SweepId = sweepId, Key = key }, cancellationToken: ct));
    }

    /// <summary>The runs sweep <paramref name="sweepId"/> asked for of configuration <paramref name="key"/>, with their UA, by repeat then fold.</summary>
    public async Task<IReadOnlyList<RunDetail>> ConfigurationRunsAsync(long sweepId, string key, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<RunDetail>(new CommandDefinition($"""
            {SelectRunDetails}
            JOIN sweep_runs sr ON sr.run_id = r.id
            WHERE sr.sweep_id = @SweepId AND r.configuration_key = @Key
            ORDER BY r.repeat, r.fold
            """, new { SweepId = sweepId, Key = key }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// Cancels run <paramref name="runId"/> if it is unfinished, whichever sweeps want it: its worker's
    /// next heartbeat is refused, so it stops training it. Completes the sweeps it was the last
    /// unfinished run of. A second sweep asking for it later queues it again, as for any cancelled run.
    /// </summary>
    /// <returns>True when it was cancelled; false when it had succeeded, failed or been cancelled already.</returns>
    /// <exception cref="ArgumentException">There is no such run.</exception>
    public Task<bool> CancelRunAsync(long runId, CancellationToken ct = default)
    {
        var parameters = new { RunId = runId };
        return Transactions.RunAsync(dataSource, async (connection, transaction) =>
        {
            var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT state FROM runs WHERE id = @RunId FOR UPDATE", parameters, transaction, cancellationToken: ct))
                ?? throw new ArgumentException($"There is no run {runId}.");
            if (state is not (RunStates.Queued or RunStates.Leased or RunStates.Running)) return false;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE runs SET state = 'cancelled', lease_expires_at = NULL, finished_at = now() WHERE id = @RunId",
                parameters, transaction, cancellationToken: ct));
            await CompleteFinishedSweepsAsync(connection, transaction, "SELECT sweep_id FROM sweep_runs WHERE run_id = @RunId", parameters, ct);
            return true;
        }, ct);
    }

    private const string SelectRunDetails = """
        SELECT r.id, r.store_fingerprint AS StoreFingerprint, r.configuration_key AS ConfigurationKey, r.fold, r.repeat, r.state,
               r.attempts, r.max_attempts AS MaxAttempts, r.worker, r.epoch, r.queued_at AS QueuedAt, r.started_at AS StartedAt,
               r.finished_at AS FinishedAt, r.error, r.log_tail AS LogTail, s.ua
        FROM runs r LEFT JOIN results s ON s.run_id = r.id
        """;
}
