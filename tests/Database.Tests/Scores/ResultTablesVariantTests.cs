using Orchestrator.Models.Training;

namespace Orchestrator.Database.Tests.Scores;

/// <summary>
/// The paper's tables of a sweep whose configurations all share settings (a grid's defaults, as the
/// demo's per-speaker standardisation): its cells, not an empty table.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ResultTablesVariantTests(PostgresFixture fixture)
{
    private const string Variant = "[per-speaker=true]";

    [Fact]
    public async Task A_sweep_whose_configurations_share_settings_fills_tables_1_2_and_3_with_them()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        string[] keys = ["linear:T", "linear:F", "late:T+F", "coattention:T+F", "concat:T+F"];
        var shared = await queue.SubmitSweepAsync(TestRuns.Sweep("shared", "store-variant", [.. keys.Select(k => k + Variant)], folds: 2,
            combinations: [("coattention:T+F" + Variant, "late:T+F" + Variant)]));
        var plain = await queue.SubmitSweepAsync(TestRuns.Sweep("plain", "store-variant", ["linear:T"], folds: 2));
        var mixed = await queue.SubmitSweepAsync(TestRuns.Sweep("mixed", "store-variant", ["linear:T", "linear:F" + Variant], folds: 2));
        var results = new List<RunResult>();
        await TestRuns.CompleteAllAsync(queue, "w", run =>
        {
            var result = TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat, utterances: 30, skill: run.Model == "late" ? 0.7 : 0.5);
            results.Add(result);
            return result;
        });
        var tables = new ResultTables(database.DataSource);
        double Ua(string key) => 100 * results.Where(r => r.ConfigurationKey == key).Average(r => r.Metrics.UnweightedAccuracy);

        var table1 = await tables.Table1Async(shared.SweepId);
        var table2 = await tables.Table2Async(shared.SweepId);
        var table3 = await tables.Table3Async(shared.SweepId);

        Assert.Equal(Variant, await tables.TableVariantAsync(shared.SweepId));
        Assert.Equal(["linear:T" + Variant, "linear:F" + Variant], table1.Select(c => c.ConfigurationKey));
        Assert.Equal(Ua("linear:F" + Variant), table1.Single(c => c.Row == "F").UaMean, 1e-9);
        Assert.Equal(["late:T+F" + Variant, "coattention:T+F" + Variant], table2.Select(c => c.ConfigurationKey));
        Assert.Contains(table3, e => e.Method == "concat" && e.Configuration == "concat:T+F" + Variant);
        Assert.Contains(table3, e => e.Method == "combination" && e.Configuration == $"coattention:T+F{Variant} + late:T+F{Variant}");
        // Without shared settings the tables keep to the method's defaults.
        Assert.Equal("", await tables.TableVariantAsync(mixed.SweepId));
        Assert.Equal(["linear:T"], (await tables.Table1Async(mixed.SweepId)).Select(c => c.ConfigurationKey));
        Assert.Equal(["linear:T"], (await tables.Table1Async(plain.SweepId)).Select(c => c.ConfigurationKey));
    }
}
