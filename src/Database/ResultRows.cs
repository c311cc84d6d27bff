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
    /// <summary>
    /// Writes every row of each result in <paramref name="completions"/> inside the caller's transaction:
    /// one binary COPY per table for the whole batch, so recording many runs costs about what one does.
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<RunCompletion> completions, CancellationToken ct)
    {
        await using (var results = await connection.BeginBinaryImportAsync("""
            COPY results (run_id, seed, ua, wa, macro_f1, confusion, present_classes, collapsed_classes, epochs_run, max_epochs,
                          best_epoch, validation_ua, wall_seconds, samples_per_second, validation_ids) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            foreach (var (runId, _, result) in completions)
            {
                var metrics = result.Metrics;
                await results.StartRowAsync(ct);
                await results.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                await results.WriteAsync(result.Seed, NpgsqlDbType.Bigint, ct);
                await results.WriteAsync(metrics.UnweightedAccuracy, NpgsqlDbType.Double, ct);
                await results.WriteAsync(metrics.WeightedAccuracy, NpgsqlDbType.Double, ct);
                await results.WriteAsync(metrics.MacroF1, NpgsqlDbType.Double, ct);
                await results.WriteAsync(ToMatrix(metrics.Confusion), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
                await results.WriteAsync(metrics.PresentClasses.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
                await results.WriteAsync(metrics.CollapsedClasses.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
                await results.WriteAsync(result.EpochsRun, NpgsqlDbType.Integer, ct);
                if (result.Epochs.Count == 0) await results.WriteNullAsync(ct);
                else await results.WriteAsync(result.Epochs[0].MaxEpochs, NpgsqlDbType.Integer, ct);
                await results.WriteAsync(result.BestEpoch, NpgsqlDbType.Integer, ct);
                await results.WriteAsync(result.ValidationUnweightedAccuracy, NpgsqlDbType.Double, ct);
                await results.WriteAsync(result.WallTimeSeconds, NpgsqlDbType.Double, ct);
                await results.WriteAsync(result.TrainingSamplesPerSecond, NpgsqlDbType.Double, ct);
                await results.WriteAsync(result.ValidationIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            }
            await results.CompleteAsync(ct);
        }

        await using (var logits = await connection.BeginBinaryImportAsync("COPY test_logits (run_id, utterance_id, label, logits) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (runId, _, result) in completions)
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

        if (completions.Any(c => c.Result.Epochs.Count > 0))
        {
            await using var epochs = await connection.BeginBinaryImportAsync(
                "COPY epoch_metrics (run_id, epoch, training_loss, validation_ua, samples_per_second, best) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (runId, _, result) in completions)
                foreach (var epoch in result.Epochs)
                {
                    await epochs.StartRowAsync(ct);
                    await epochs.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                    await epochs.WriteAsync(epoch.Epoch, NpgsqlDbType.Integer, ct);
                    await epochs.WriteAsync(epoch.TrainingLoss, NpgsqlDbType.Double, ct);
                    await epochs.WriteAsync(epoch.ValidationUnweightedAccuracy, NpgsqlDbType.Double, ct);
                    await epochs.WriteAsync(epoch.SamplesPerSecond, NpgsqlDbType.Double, ct);
                    await epochs.WriteAsync(epoch.Best, NpgsqlDbType.Boolean, ct);
                }
            await epochs.CompleteAsync(ct);
        }

        if (completions.Any(c => c.Result.LayerWeights.Count > 0))
        {
            await using var weights = await connection.BeginBinaryImportAsync("COPY layer_weights (run_id, module, weights) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (runId, _, result) in completions)
                foreach (var (module, values) in result.LayerWeights)
                {
                    await weights.StartRowAsync(ct);
                    await weights.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                    await weights.WriteAsync(module, NpgsqlDbType.Text, ct);
                    await weights.WriteAsync(values, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
                }
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
