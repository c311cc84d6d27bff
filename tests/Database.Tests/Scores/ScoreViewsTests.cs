using Dapper;
using Orchestrator.Models.Training;

namespace Orchestrator.Database.Tests.Scores;

/// <summary>
/// The score views against aggregations computed here, in C#, from the results the runs recorded.
/// One database for the class: 6 configurations x 5 folds x 2 repeats on one store, one run on another.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ScoreViewsTests(PostgresFixture fixture)
{
    private const string Store = "store-scores";
    private const string Late = "late:T+F";
    private static readonly string[] Keys = ["linear:T", "transformer:T", "linear:F", Late, "coattention:T+F", "concat:T+F"];

    [Fact]
    public async Task Configuration_scores_hold_the_mean_and_sample_deviation_of_each_configurations_runs_and_count_collapsed_ones()
    {
        var (database, runs) = await Arranged();

        var rows = (await Query<ScoreRow>(database, """
            SELECT configuration_key AS Key, runs, ua_mean AS UaMean, ua_sd AS UaSd, wa_mean AS WaMean, wa_sd AS WaSd,
                   macro_f1_mean AS F1Mean, macro_f1_sd AS F1Sd, collapsed_runs AS CollapsedRuns, wall_seconds_mean AS WallSecondsMean
            FROM configuration_scores WHERE store_fingerprint = @Store
            """)).ToDictionary(r => r.Key);

        Assert.Equal(Keys.Order(), rows.Keys.Order());
        foreach (var key in Keys)
        {
            var mine = runs.Where(r => r.ConfigurationKey == key).ToList();
            var row = rows[key];
            Assert.Equal(10, row.Runs);
            AssertMeanAndSd(mine.Select(r => r.Metrics.UnweightedAccuracy), row.UaMean, row.UaSd);
            AssertMeanAndSd(mine.Select(r => r.Metrics.WeightedAccuracy), row.WaMean, row.WaSd);
            AssertMeanAndSd(mine.Select(r => r.Metrics.MacroF1), row.F1Mean, row.F1Sd);
            Assert.Equal(mine.Average(r => r.WallTimeSeconds), row.WallSecondsMean, 1e-9);
            Assert.Equal(mine.Count(r => r.Metrics.Collapsed), row.CollapsedRuns);
        }
        Assert.Equal(5, rows["linear:F"].CollapsedRuns);
    }

    [Fact]
    public async Task Tables_1_and_2_put_each_configurations_mean_UA_in_percent_in_its_cell()
    {
        var (database, runs) = await Arranged();
        double Ua(string key) => 100 * runs.Where(r => r.ConfigurationKey == key).Average(r => r.Metrics.UnweightedAccuracy);

        var table1 = (await Query<(string Stream, double? Linear, double? Transformer)>(database,
            "SELECT stream, linear_ua, transformer_ua FROM table1 WHERE store_fingerprint = @Store AND variant = '' ORDER BY stream")).ToList();
        var table2 = await QuerySingle<(string Speech, int CoattentionRuns, double Coattention, int LateRuns, double Late)>(database,
            "SELECT speech_streams, coattention_runs, coattention_ua, late_runs, late_ua FROM table2 WHERE store_fingerprint = @Store");

        Assert.Equal(["F", "T"], table1.Select(r => r.Stream));
        Assert.Equal(Ua("linear:F"), table1[0].Linear!.Value, 1e-9);
        Assert.Null(table1[0].Transformer);
        Assert.Equal(Ua("linear:T"), table1[1].Linear!.Value, 1e-9);
        Assert.Equal(Ua("transformer:T"), table1[1].Transformer!.Value, 1e-9);
        Assert.Equal(("F", 10, 10), (table2.Speech, table2.CoattentionRuns, table2.LateRuns));
        Assert.Equal(Ua("coattention:T+F"), table2.Coattention, 1e-9);
        Assert.Equal(Ua(Late), table2.Late, 1e-9);
    }

    [Fact]
    public async Task Run_combinations_score_every_early_and_late_run_pair_exactly_as_Combination_Evaluate_does()
    {
        var (database, runs) = await Arranged();

        var rows = (await Query<(string Early, string LateKey, int Fold, int Repeat, int Utterances, double Ua, double Wa)>(database, """
            SELECT early_configuration, late_configuration, fold, repeat, utterances, ua, wa FROM run_combinations WHERE store_fingerprint = @Store
            """)).ToList();

        var early = Keys.Where(k => k != Late).ToList();
        Assert.Equal(early.Count * 10, rows.Count);
        Assert.All(rows, r => Assert.Equal(Late, r.LateKey));
        foreach (var row in rows)
        {
            var expected = Combination.Evaluate(Find(runs, row.Early, row.Fold, row.Repeat), Find(runs, Late, row.Fold, row.Repeat)).Metrics;
            Assert.Equal((expected.Total, expected.UnweightedAccuracy, expected.WeightedAccuracy), (row.Utterances, row.Ua, row.Wa));
        }
    }

    [Fact]
    public async Task Table_3_holds_concatenation_the_combined_configurations_and_their_combination()
    {
        var (database, runs) = await Arranged();
        var combined = runs.Where(r => r.ConfigurationKey == "coattention:T+F")
            .Select(r => Combination.Evaluate(r, Find(runs, Late, r.Fold, r.Repeat)).Metrics.UnweightedAccuracy).ToList();

        var scores = await QuerySingle<(int Runs, double Mean, double Sd)>(database, """
            SELECT runs, ua_mean, ua_sd FROM combination_scores
            WHERE store_fingerprint = @Store AND early_configuration = 'coattention:T+F' AND late_configuration = 'late:T+F'
            """);
        var table3 = (await Query<(string Method, string Configuration, int Runs, double Ua)>(database,
            "SELECT method, configuration, runs, ua FROM table3 WHERE store_fingerprint = @Store ORDER BY method")).ToList();

        Assert.Equal(10, scores.Runs);
        AssertMeanAndSd(combined, scores.Mean, scores.Sd);
        Assert.Equal(
            [("coattention", "coattention:T+F"), ("combination", "coattention:T+F + late:T+F"), ("concat", "concat:T+F"), ("late", Late)],
            table3.Select(r => (r.Method, r.Configuration)));
        Assert.Equal(100 * combined.Average(), table3[1].Ua, 1e-9);
        Assert.Equal(100 * runs.Where(r => r.ConfigurationKey == "concat:T+F").Average(r => r.Metrics.UnweightedAccuracy), table3[2].Ua, 1e-9);
    }

    [Fact]
    public async Task Results_are_read_back_as_the_runs_recorded_them_and_combine_as_the_originals_do()
    {
        var (database, runs) = await Arranged();
        var queue = new RunQueue(database.DataSource);

        var coattention = await queue.ResultsAsync(Store, "coattention:T+F");
        var late = await queue.ResultsAsync(Store, Late);

        var expected = runs.Where(r => r.ConfigurationKey == "coattention:T+F").OrderBy(r => r.Repeat).ThenBy(r => r.Fold).ToList();
        Assert.Equal(expected.Count, coattention.Count);
        for (var i = 0; i < expected.Count; i++) RunAssert.Same(expected[i], coattention[i]);
        Assert.Equal(
            expected.Select(r => Combination.Evaluate(r, Find(runs, Late, r.Fold, r.Repeat)).Metrics.UnweightedAccuracy),
            coattention.Select(r => Combination.Evaluate(r, Find(late, Late, r.Fold, r.Repeat)).Metrics.UnweightedAccuracy));
        Assert.Empty(await queue.ResultsAsync("another-store", "coattention:T+F"));
    }

    private static RunResult Find(IEnumerable<RunResult> runs, string key, int fold, int repeat) =>
        runs.Single(r => r.ConfigurationKey == key && r.Fold == fold && r.Repeat == repeat);

    private static void AssertMeanAndSd(IEnumerable<double> values, double mean, double? sd)
    {
        var list = values.ToList();
        var expectedMean = list.Sum() / list.Count;
        var expectedSd = Math.Sqrt(list.Sum(v => (v - expectedMean) * (v - expectedMean)) / (list.Count - 1));
        Assert.Equal(expectedMean, mean, 1e-12);
        Assert.Equal(expectedSd, sd!.Value, 1e-12);
    }

    private Task<Scenario> Arranged() => fixture.SharedAsync(nameof(ScoreViewsTests), async () =>
    {
        var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("scores", Store, Keys, folds: 5, repeats: 2, combinations: [("coattention:T+F", Late)]));
        await queue.SubmitSweepAsync(TestRuns.Sweep("elsewhere", "another-store", ["linear:T"], folds: 1));
        var ofStore = new List<RunResult>();
        await TestRuns.CompleteAllAsync(queue, "w", run =>
        {
            var result = TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat,
                utterances: 30, skill: run.Model == "late" ? 0.7 : 0.5, collapsed: run.ConfigurationKey == "linear:F" && run.Repeat == 1);
            if (run.StoreFingerprint == Store) ofStore.Add(result);
            return result;
        });
        return new Scenario(database, ofStore);
    });

    private static async Task<IEnumerable<T>> Query<T>(OrchestratorDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QueryAsync<T>(sql, new { Store });
    }

    private static async Task<T> QuerySingle<T>(OrchestratorDatabase database, string sql) => (await Query<T>(database, sql)).Single();

    private sealed record ScoreRow(string Key, int Runs, double UaMean, double? UaSd, double WaMean, double? WaSd, double F1Mean, double? F1Sd, int CollapsedRuns, double WallSecondsMean);

    /// <summary>The arranged database and every run recorded in it.</summary>
    private sealed record Scenario(OrchestratorDatabase Database, IReadOnlyList<RunResult> Runs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Database.DisposeAsync();
    }
}
