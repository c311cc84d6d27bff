using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using static Orchestrator.Grains.Tests.TestRuns;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// The configuration grain against the database: its runs as the <c>runs</c> table holds them, and
/// its UA mean and sample standard deviation against the same statistics computed here from the
/// results the tests recorded.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConfigurationGrainTests(ClusterFixture fixture)
{
    private const string Variant = "late:T+F[lr=0.0001,width=64]";

    private ISweepRegistryGrain Registry => fixture.Grains.GetGrain<ISweepRegistryGrain>(0);

    private IConfigurationGrain Configuration(long sweep, string key) => fixture.Grains.GetGrain<IConfigurationGrain>(sweep, key);

    [Fact]
    public async Task Runs_by_repeat_and_fold_and_UA_over_the_succeeded_ones_agree_with_the_database_and_the_recorded_results()
    {
        await fixture.CancelOpenSweepsAsync();
        string[] keys = ["linear:T", Variant, "concat:T+F"];
        var submitted = await Registry.Submit(Request("configurations", Store(), keys, folds: [1, 2, 3], repeats: 2));
        var leased = await fixture.Queue.LeaseAsync("worker-1", 18, Lease);
        Assert.Equal(18, leased.Count);
        var recorded = new Dictionary<long, RunResult>();
        foreach (var run in leased)
        {
            // linear:T succeeds everywhere; the variant everywhere but fold 2 of repeat 2, whose first attempt
            // fails; concat:T+F once, and trains fold 2 of repeat 1 now; its other runs stay leased.
            var (succeeds, fails, trains) = run.ConfigurationKey switch
            {
                "linear:T" => (true, false, false),
                Variant => (!(run.Fold == 2 && run.Repeat == 2), run.Fold == 2 && run.Repeat == 2, false),
                _ => (run.Fold == 1 && run.Repeat == 1, false, run.Fold == 2 && run.Repeat == 1),
            };
            if (!(succeeds || fails || trains)) continue;
            Assert.True(await fixture.Queue.StartAsync(run.RunId, "worker-1"));
            Assert.True(await fixture.Queue.HeartbeatAsync(run.RunId, "worker-1", epoch: run.Fold + 10 * run.Repeat, Lease));
            if (fails) Assert.True(await fixture.Queue.FailAttemptAsync(run.RunId, "worker-1", "process exited with code 134", "Aborted (core dumped)"));
            if (!succeeds) continue;
            var result = Result(run, wallSeconds: 5 + run.Fold);
            Assert.True(await fixture.Queue.CompleteAsync(run.RunId, "worker-1", result));
            recorded[run.RunId] = result;
        }
        var rows = await fixture.Queue.RunsAsync(submitted.SweepId);
        var progress = (await fixture.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus()).Configurations;

        foreach (var (key, expected) in keys.Zip(new[] { 6, 5, 1 }))
        {
            var status = await Configuration(submitted.SweepId, key).GetStatus();

            Assert.Equal((submitted.SweepId, key), (status.SweepId, status.Key));
            Assert.Equal(key == "linear:T" ? ("linear", "T") : key == Variant ? ("late", "T+F") : ("concat", "T+F"), (status.Model, status.Streams));
            Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)], status.Runs.Select(r => (r.Repeat, r.Fold)));
            var table = rows.Where(r => r.ConfigurationKey == key).ToDictionary(r => r.Id);
            Assert.Equal(table.Keys.Order(), status.Runs.Select(r => r.Id).Order());
            foreach (var run in status.Runs)
            {
                var row = table[run.Id];
                Assert.Equal((row.ConfigurationKey, row.Fold, row.Repeat, row.State, row.Attempts, row.Worker, row.Epoch, row.Error, row.LogTail),
                    (run.ConfigurationKey, run.Fold, run.Repeat, run.State.ToString().ToLowerInvariant(), run.Attempt, run.Worker, run.Epoch, run.Error, run.LogTail));
                Assert.Equal(recorded.TryGetValue(run.Id, out var result) ? result.Metrics.UnweightedAccuracy : null, run.UnweightedAccuracy);
                Assert.Equal(run, await fixture.Grains.GetGrain<IRunGrain>(run.Id).GetStatus());
            }

            // The scores, aggregated here from what the workers recorded.
            var ua = recorded.Values.Where(r => r.ConfigurationKey == key).Select(r => r.Metrics.UnweightedAccuracy).ToList();
            Assert.Equal(expected, ua.Count);
            Assert.Equal(ua.Count, status.UnweightedAccuracy.Runs);
            Assert.Equal(ua.Average(), status.UnweightedAccuracy.Mean!.Value, 12);
            if (ua.Count < 2) Assert.Null(status.UnweightedAccuracy.StandardDeviation);
            else Assert.Equal(SampleSd(ua), status.UnweightedAccuracy.StandardDeviation!.Value, 12);

            // The sweep's progress counts the same runs.
            var counts = Assert.Single(progress, p => p.Key == key);
            int Count(RunState state) => status.Runs.Count(r => r.State == state);
            Assert.Equal((counts.Queued, counts.Leased, counts.Running, counts.Succeeded, counts.Failed, counts.Cancelled),
                (Count(RunState.Queued), Count(RunState.Leased), Count(RunState.Running), Count(RunState.Succeeded), Count(RunState.Failed), Count(RunState.Cancelled)));
        }
        var variant = await Configuration(submitted.SweepId, Variant).GetStatus();
        var retried = Assert.Single(variant.Runs, r => r.State != RunState.Succeeded);
        Assert.Equal((RunState.Queued, 1, "process exited with code 134", "Aborted (core dumped)"), (retried.State, retried.Attempt, retried.Error, retried.LogTail));
        var concat = await Configuration(submitted.SweepId, "concat:T+F").GetStatus();
        Assert.Equal([RunState.Succeeded, RunState.Running, RunState.Leased, RunState.Leased, RunState.Leased, RunState.Leased], concat.Runs.Select(r => r.State));
        Assert.Equal([11, 12, null, null, null, null], concat.Runs.Select(r => r.Epoch));
    }

    [Fact]
    public async Task A_configuration_lists_the_runs_it_shares_with_an_earlier_sweep_and_scores_them()
    {
        await fixture.CancelOpenSweepsAsync();
        var store = Store();
        var first = await Registry.Submit(Request("shared-1", store, ["linear:T"], folds: [1, 2]));
        var recorded = new Dictionary<long, RunResult>();
        foreach (var run in await fixture.Queue.LeaseAsync("worker-1", 2, Lease))
        {
            Assert.True(await fixture.Queue.StartAsync(run.RunId, "worker-1"));
            recorded[run.RunId] = Result(run);
            Assert.True(await fixture.Queue.CompleteAsync(run.RunId, "worker-1", recorded[run.RunId]));
        }

        var second = await Registry.Submit(Request("shared-2", store, ["linear:T"], folds: [1, 2, 3]));
        var status = await Configuration(second.SweepId, "linear:T").GetStatus();

        Assert.Equal(2, recorded.Count);
        Assert.Equal([.. recorded.Keys.Order()], status.Runs.Take(2).Select(r => r.Id));
        Assert.Equal([RunState.Succeeded, RunState.Succeeded, RunState.Queued], status.Runs.Select(r => r.State));
        Assert.Equal((2, recorded.Values.Average(r => r.Metrics.UnweightedAccuracy)), (status.UnweightedAccuracy.Runs, status.UnweightedAccuracy.Mean!.Value));
        Assert.Equal(SampleSd(recorded.Values.Select(r => r.Metrics.UnweightedAccuracy).ToList()), status.UnweightedAccuracy.StandardDeviation!.Value, 12);
        var earlier = await Configuration(first.SweepId, "linear:T").GetStatus();
        Assert.Equal(earlier.Runs, status.Runs.Take(2));
    }

    [Fact]
    public async Task A_configuration_not_in_the_sweep_or_a_sweep_that_does_not_exist_fails_with_a_message()
    {
        var submitted = await Registry.Submit(Request("unknown-configuration", Store(), ["linear:T"], folds: [1]));
        var missing = (await fixture.Queue.ListSweepsAsync()).Max(s => s.Id) + 1000;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Configuration(submitted.SweepId, "linear:F").GetStatus());
        Assert.Equal($"Sweep {submitted.SweepId} has no configuration 'linear:F'.", error.Message);
        error = await Assert.ThrowsAsync<ArgumentException>(() => Configuration(missing, "linear:T").GetStatus());
        Assert.Equal($"There is no sweep {missing}.", error.Message);
        Assert.Single((await Configuration(submitted.SweepId, "linear:T").GetStatus()).Runs);
    }

    private static double SampleSd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
