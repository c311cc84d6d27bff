using Dapper;
using Npgsql;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// What a sweep's runs became, counted in SQL from what the database holds rather than from what any
/// silo reported: the evidence that a fault lost nothing and wrote nothing twice or by halves.
/// </summary>
/// <param name="Runs">Runs linked to the sweep.</param>
/// <param name="Succeeded">Runs in state succeeded.</param>
/// <param name="Missing">Runs not succeeded or without a result row: lost.</param>
/// <param name="Duplicated">Runs with more than one result row: recorded twice.</param>
/// <param name="HalfWritten">Runs whose result lacks part of what a run records (its test logits or its epochs), or that have them without being succeeded.</param>
/// <param name="Attempts">Attempts, summed over the runs (a run's attempts count the leases it took).</param>
public sealed record Ledger(int Runs, int Succeeded, int Missing, int Duplicated, int HalfWritten, int Attempts)
{
    /// <summary>
    /// The ledger of <paramref name="sweepId"/>; <paramref name="logits"/> and <paramref name="epochs"/> are what every
    /// result of this sweep holds (a no-op run: 4 test logits and 1 epoch).
    /// </summary>
    public static async Task<Ledger> ReadAsync(NpgsqlDataSource database, long sweepId, int logits = 4, int epochs = 1)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Ledger>("""
            WITH per_run AS (
                SELECT r.id, r.state, r.attempts,
                       (SELECT count(*) FROM results x WHERE x.run_id = r.id) AS results,
                       (SELECT count(*) FROM test_logits t WHERE t.run_id = r.id) AS logits,
                       (SELECT count(*) FROM epoch_metrics e WHERE e.run_id = r.id) AS epochs
                FROM sweep_runs sr JOIN runs r ON r.id = sr.run_id WHERE sr.sweep_id = @SweepId
            )
            SELECT count(*)::integer AS Runs,
                   count(*) FILTER (WHERE state = 'succeeded')::integer AS Succeeded,
                   count(*) FILTER (WHERE state <> 'succeeded' OR results = 0)::integer AS Missing,
                   count(*) FILTER (WHERE results > 1)::integer AS Duplicated,
                   count(*) FILTER (WHERE (state = 'succeeded') <> (results = 1 AND logits = @Logits AND epochs = @Epochs)
                                       OR (state <> 'succeeded' AND logits + epochs > 0))::integer AS HalfWritten,
                   coalesce(sum(attempts), 0)::integer AS Attempts
            FROM per_run
            """, new { SweepId = sweepId, Logits = logits, Epochs = epochs });
    }

    /// <summary>Every one of <paramref name="expected"/> runs succeeded with exactly one whole result.</summary>
    public void AssertExactlyOnce(int expected) =>
        Assert.Equal((expected, expected, 0, 0, 0), (Runs, Succeeded, Missing, Duplicated, HalfWritten));
}
