using Dapper;

namespace Orchestrator.Database;

/// <summary>The per-attempt logs of runs (<c>run_logs</c>, migration 0007).</summary>
public sealed partial class RunQueue
{
    /// <summary>Records what one attempt printed. One insert, outside the run's own transactions: a log is never worth holding up a result.</summary>
    public async Task RecordRunLogAsync(RunLog log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO run_logs (run_id, attempt, worker, outcome, error, log, dropped_lines)
            VALUES (@RunId, @Attempt, @Worker, @Outcome, @Error, @Log, @DroppedLines)
            """, log, cancellationToken: ct));
    }

    /// <summary>Every recorded attempt of run <paramref name="runId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RunLog>> RunLogsAsync(long runId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<RunLog>(new CommandDefinition("""
            SELECT run_id AS RunId, attempt, worker, outcome, error, log, dropped_lines AS DroppedLines, recorded_at AS RecordedAt
            FROM run_logs WHERE run_id = @RunId ORDER BY id
            """, new { RunId = runId }, cancellationToken: ct))).ToList();
    }
}
