using System.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Orchestrator.Models.Training;

namespace Orchestrator.Database;

/// <summary>
/// A <see cref="RunResult"/> as rows of <c>results</c>, <c>test_logits</c>, <c>epoch_metrics</c> and
/// <c>layer_weights</c>, and back. Floats and doubles are stored in their own SQL types, so a result
/// reads back bit for bit; the test logits (5531 utterances a run on IEMOCAP) go by binary COPY.
/// </summary>
internal static class ResultRows
{
    /// <summary>Writes every row of <paramref name="result"/> for run <paramref name="runId"/> inside <paramref name="transaction"/>.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long runId, RunResult result, CancellationToken ct)
    {
        var metrics = result.Metrics;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO results (run_id, seed, ua, wa, macro_f1, confusion, present_classes, collapsed_classes, epochs_run, max_epochs,
                                 best_epoch, validation_ua, wall_seconds, samples_per_second, validation_ids)
            VALUES (@RunId, @Seed, @Ua, @Wa, @MacroF1, @Confusion, @Present, @Collapsed, @EpochsRun, @MaxEpochs,
                    @BestEpoch, @ValidationUa, @WallSeconds, @SamplesPerSecond, @ValidationIds)
            """,
            new
            {
                RunId = runId, result.Seed, Ua = metrics.UnweightedAccuracy, Wa = metrics.WeightedAccuracy, metrics.MacroF1,
                Confusion = ToMatrix(metrics.Confusion), Present = metrics.PresentClasses.ToArray(), Collapsed = metrics.CollapsedClasses.ToArray(),
                result.EpochsRun, MaxEpochs = result.Epochs.Count == 0 ? (int?)null : result.Epochs[0].MaxEpochs, result.BestEpoch,
                ValidationUa = result.ValidationUnweightedAccuracy, WallSeconds = result.WallTimeSeconds,
                SamplesPerSecond = result.TrainingSamplesPerSecond, ValidationIds = result.ValidationIds.ToArray(),
            }, transaction, cancellationToken: ct));

        await using (var logits = await connection.BeginBinaryImportAsync("COPY test_logits (run_id, utterance_id, label, logits) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, row) in result.TestLogits)
            {
                await logits.StartRowAsync(ct);
                await logits.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                await logits.WriteAsync(id, NpgsqlDbType.Text, ct);
                await logits.WriteAsync((short)result.TestLabels[id], NpgsqlDbType.Smallint, ct);
                await logits.WriteAsync(row, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
            }
            await logits.CompleteAsync(ct);
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO epoch_metrics (run_id, epoch, training_loss, validation_ua, samples_per_second, best)
            SELECT @RunId, * FROM unnest(@Epochs, @Losses, @ValidationUas, @SamplesPerSecond, @Best)
            """,
            new
            {
                RunId = runId,
                Epochs = result.Epochs.Select(e => e.Epoch).ToArray(),
                Losses = result.Epochs.Select(e => e.TrainingLoss).ToArray(),
                ValidationUas = result.Epochs.Select(e => e.ValidationUnweightedAccuracy).ToArray(),
                SamplesPerSecond = result.Epochs.Select(e => e.SamplesPerSecond).ToArray(),
                Best = result.Epochs.Select(e => e.Best).ToArray(),
            }, transaction, cancellationToken: ct));

        await using (var weights = await connection.BeginBinaryImportAsync("COPY layer_weights (run_id, module, weights) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (module, values) in result.LayerWeights)
                await weights.WriteRowAsync(ct, runId, module, values);
            await weights.CompleteAsync(ct);
        }
    }

    /// <summary>
    /// The results of the succeeded runs of one configuration on one store, ordered by repeat then
    /// fold. Scores are recomputed from the stored confusion matrix by the function the run used.
    /// </summary>
    public static async Task<IReadOnlyList<RunResult>> ReadAsync(NpgsqlConnection connection, string storeFingerprint, string configurationKey, CancellationToken ct)
    {
        const string runs = """
            SELECT r.id FROM runs r JOIN results s ON s.run_id = r.id
            WHERE r.store_fingerprint = @Store AND r.configuration_key = @Key AND r.state = 'succeeded'
            """;
        await using var reader = await connection.QueryMultipleAsync(new CommandDefinition($"""
            SELECT r.id, r.configuration_key AS ConfigurationKey, r.fold, r.repeat, s.seed, s.confusion, s.epochs_run AS EpochsRun,
                   s.max_epochs AS MaxEpochs, s.best_epoch AS BestEpoch, s.validation_ua AS ValidationUa, s.wall_seconds AS WallSeconds,
                   s.samples_per_second AS SamplesPerSecond, s.validation_ids AS ValidationIds
            FROM runs r JOIN results s ON s.run_id = r.id
            WHERE r.id IN ({runs}) ORDER BY r.repeat, r.fold;
            SELECT run_id AS RunId, utterance_id AS UtteranceId, label, logits FROM test_logits WHERE run_id IN ({runs});
            SELECT run_id AS RunId, epoch, training_loss AS TrainingLoss, validation_ua AS ValidationUa, samples_per_second AS SamplesPerSecond, best
            FROM epoch_metrics WHERE run_id IN ({runs}) ORDER BY run_id, epoch;
            SELECT run_id AS RunId, module, weights FROM layer_weights WHERE run_id IN ({runs});
            """, new { Store = storeFingerprint, Key = configurationKey }, cancellationToken: ct));
        var results = (await reader.ReadAsync<ResultRow>()).ToList();
        var logits = (await reader.ReadAsync<LogitRow>()).ToLookup(l => l.RunId);
        var epochs = (await reader.ReadAsync<EpochRow>()).ToLookup(e => e.RunId);
        var weights = (await reader.ReadAsync<WeightRow>()).ToLookup(w => w.RunId);
        return results.Select(r => new RunResult(
            r.ConfigurationKey, r.Fold, r.Repeat, r.Seed,
            ConfusionMatrix.FromRows(FromMatrix(r.Confusion)).Metrics(),
            r.EpochsRun, r.BestEpoch, r.ValidationUa, r.WallSeconds, r.SamplesPerSecond,
            logits[r.Id].ToDictionary(l => l.UtteranceId, l => l.Logits, StringComparer.Ordinal),
            logits[r.Id].ToDictionary(l => l.UtteranceId, l => (int)l.Label, StringComparer.Ordinal),
            r.ValidationIds,
            epochs[r.Id].Select(e => new EpochReport(e.Epoch, r.MaxEpochs!.Value, e.TrainingLoss, e.ValidationUa, e.Best, e.SamplesPerSecond)).ToList(),
            weights[r.Id].ToDictionary(w => w.Module, w => w.Weights, StringComparer.Ordinal))).ToList();
    }

    // PostgreSQL arrays are rectangular: the jagged matrix of the models becomes a two-dimensional one.
    private static int[,] ToMatrix(int[][] rows)
    {
        var matrix = new int[rows.Length, rows.Length];
        for (var t = 0; t < rows.Length; t++)
        {
            if (rows[t].Length != rows.Length) throw new ArgumentException($"Confusion row {t} has {rows[t].Length} columns; the matrix is {rows.Length} x {rows.Length}.", nameof(rows));
            for (var p = 0; p < rows.Length; p++) matrix[t, p] = rows[t][p];
        }
        return matrix;
    }

    private static int[][] FromMatrix(int[,] matrix) =>
        Enumerable.Range(0, matrix.GetLength(0)).Select(t => Enumerable.Range(0, matrix.GetLength(1)).Select(p => matrix[t, p]).ToArray()).ToArray();

    // Rows with arrays are classes with setters: Dapper binds constructors only to columns whose
    // reported type matches exactly, and an array column reports System.Array.
    private sealed class ResultRow
    {
        public long Id { get; set; }
        public string ConfigurationKey { get; set; } = "";
        public int Fold { get; set; }
        public int Repeat { get; set; }
        public long Seed { get; set; }
        public int[,] Confusion { get; set; } = new int[0, 0];
        public int EpochsRun { get; set; }
        public int? MaxEpochs { get; set; }
        public int BestEpoch { get; set; }
        public double ValidationUa { get; set; }
        public double WallSeconds { get; set; }
        public double SamplesPerSecond { get; set; }
        public string[] ValidationIds { get; set; } = [];
    }

    private sealed class LogitRow
    {
        public long RunId { get; set; }
        public string UtteranceId { get; set; } = "";
        public short Label { get; set; }
        public float[] Logits { get; set; } = [];
    }

    private sealed record EpochRow(long RunId, int Epoch, double TrainingLoss, double ValidationUa, double SamplesPerSecond, bool Best);

    private sealed class WeightRow
    {
        public long RunId { get; set; }
        public string Module { get; set; } = "";
        public float[] Weights { get; set; } = [];
    }
}
