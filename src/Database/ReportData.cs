using Dapper;
using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// What the results report draws beyond the score views: each succeeded run's scores and confusion
/// matrix, epochs, and learned layer weights. Runs are those the views score: every succeeded run of
/// the sweep's store for each of the sweep's configurations, whichever sweep asked for it, so a figure's
/// n is the n of <see cref="ResultTables"/>. Parameters only; an unknown sweep reads as empty.
/// </summary>
public sealed class ReportData(NpgsqlDataSource dataSource)
{
    // The sweep's configurations joined to the store's succeeded runs of each.
    private const string SweepRuns = """
        FROM sweeps w
        JOIN sweep_configurations sc ON sc.sweep_id = w.id
        JOIN runs r ON r.store_fingerprint = w.store_fingerprint AND r.configuration_key = sc.configuration_key AND r.state = 'succeeded'
        """;

    /// <summary>The sweep's succeeded runs in grid order, then by repeat and fold.</summary>
    public async Task<IReadOnlyList<ReportRun>> RunsAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition($"""
            SELECT r.id AS RunId, r.configuration_key AS ConfigurationKey, r.fold, r.repeat, s.ua, s.wa, s.macro_f1 AS MacroF1, s.confusion
            {SweepRuns}
            JOIN results s ON s.run_id = r.id
            WHERE w.id = @SweepId
            ORDER BY sc.position, r.repeat, r.fold
            """, new { SweepId = sweepId }, cancellationToken: ct));
        return rows.Select(r => new ReportRun(r.RunId, r.ConfigurationKey, r.Fold, r.Repeat, r.Ua, r.Wa, r.MacroF1, r.Confusion)).ToList();
    }

    /// <summary>The epochs of <paramref name="runIds"/>, by run then epoch; a run that recorded none has no rows.</summary>
    public async Task<IReadOnlyList<EpochMetric>> EpochsAsync(IReadOnlyCollection<long> runIds, CancellationToken ct = default)
    {
        if (runIds.Count == 0) return [];
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<EpochMetric>(new CommandDefinition("""
            SELECT run_id AS RunId, epoch, training_loss AS TrainingLoss, validation_ua AS ValidationUa, best
            FROM epoch_metrics WHERE run_id = ANY(@RunIds)
            ORDER BY run_id, epoch
            """, new { RunIds = runIds.ToArray() }, cancellationToken: ct))).ToList();
    }

    /// <summary>The learned layer weights of the sweep's configurations, averaged over their runs: by module, then grid order, then layer.</summary>
    public async Task<IReadOnlyList<LayerWeightMean>> LayerWeightsAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<LayerWeightMean>(new CommandDefinition($"""
            SELECT r.configuration_key AS ConfigurationKey, l.module AS Module, u.layer::integer AS Layer,
                   avg(u.weight) AS Weight, count(*)::integer AS Runs
            {SweepRuns}
            JOIN layer_weights l ON l.run_id = r.id
            CROSS JOIN LATERAL unnest(l.weights) WITH ORDINALITY AS u(weight, layer)
            WHERE w.id = @SweepId
            GROUP BY l.module, sc.position, r.configuration_key, u.layer
            ORDER BY l.module, sc.position, u.layer
            """, new { SweepId = sweepId }, cancellationToken: ct))).ToList();
    }

    // A class with setters: Dapper binds constructors only to columns whose reported type matches
    // exactly, and an array column reports System.Array.
    private sealed class RunRow
    {
        public long RunId { get; set; }
        public string ConfigurationKey { get; set; } = "";
        public int Fold { get; set; }
        public int Repeat { get; set; }
        public double Ua { get; set; }
        public double Wa { get; set; }
        public double MacroF1 { get; set; }
        public int[,] Confusion { get; set; } = new int[0, 0];
    }
}
