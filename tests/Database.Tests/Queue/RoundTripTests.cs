using System.Diagnostics;
using Dapper;
using Xunit.Abstractions;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>Whatever names and sizes come in go out unchanged. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RoundTripTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const string Hostile = "Robert'); DROP TABLE runs; -- \"«Ωμέγα»\" \\ 😀\t$1 %s";

    [Fact]
    public async Task Hostile_names_round_trip_unchanged_through_every_table()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var key = $"late:T+F[note={Hostile}]";
        var store = $"fingerprint {Hostile}";
        var worker = $"worker {Hostile}";
        var submission = TestRuns.Sweep(Hostile, store, [key], folds: 1) with { StorePath = $"/data/{Hostile}", GridYaml = $"name: '{Hostile}'" };
        var sweep = await queue.SubmitSweepAsync(submission);

        var run = Assert.Single(await queue.LeaseAsync(worker, 1, TimeSpan.FromMinutes(1)));
        var result = TestRuns.Make(key, 1, 1, ids: (fold, i) => $"{i} {Hostile}") with
        {
            LayerWeights = new Dictionary<string, float[]> { [$"weighting.{Hostile}"] = [0.25f, 0.75f] },
            ValidationIds = [Hostile],
        };
        Assert.True(await queue.CompleteAsync(run.RunId, worker, result));

        Assert.Equal((store, $"/data/{Hostile}", key), (run.StoreFingerprint, run.StorePath, run.ConfigurationKey));
        Assert.Equal(Hostile, Assert.Single(await queue.ListSweepsAsync()).Name);
        var row = Assert.Single(await queue.RunsAsync(sweep.SweepId));
        Assert.Equal((key, worker), (row.ConfigurationKey, row.Worker));
        Assert.Equal(key, Assert.Single(await queue.SweepProgressAsync(sweep.SweepId)).ConfigurationKey);
        RunAssert.Same(result, Assert.Single(await queue.ResultsAsync(store, key)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(submission.GridYaml, await connection.ExecuteScalarAsync<string>("SELECT grid FROM sweeps"));
        Assert.Equal("[note=" + Hostile + "]", await connection.ExecuteScalarAsync<string>("SELECT variant FROM configurations"));
    }

    [Fact]
    public async Task Runs_of_IEMOCAP_size_are_recorded_in_one_call_read_back_whole_and_combined_in_SQL()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("full", "store-a", ["coattention:T+F", "late:T+F"], folds: 1));
        var runs = (await queue.LeaseAsync("w", 2, TimeSpan.FromMinutes(1))).OrderBy(r => r.ConfigurationKey).ToList();
        var results = runs.Select(r => TestRuns.Make(r.ConfigurationKey, 1, 1, utterances: 5531)).ToList();

        var clock = Stopwatch.StartNew();
        Assert.True(await queue.CompleteAsync(runs[0].RunId, "w", results[0]));
        var written = clock.Elapsed;
        var read = Assert.Single(await queue.ResultsAsync("store-a", "coattention:T+F"));
        var readBack = clock.Elapsed - written;
        Assert.True(await queue.CompleteAsync(runs[1].RunId, "w", results[1]));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        clock.Restart();
        var combined = await connection.QuerySingleAsync<(int Utterances, double Ua)>("SELECT utterances, ua FROM run_combinations");

        output.WriteLine($"5531 utterances x 4 logits: CompleteAsync {written.TotalMilliseconds:0} ms, ResultsAsync {readBack.TotalMilliseconds:0} ms, run_combinations {clock.Elapsed.TotalMilliseconds:0} ms");
        RunAssert.Same(results[0], read);
        var expected = Orchestrator.Models.Training.Combination.Evaluate(results[0], results[1]).Metrics;
        Assert.Equal((5531, expected.UnweightedAccuracy), combined);
    }
}
