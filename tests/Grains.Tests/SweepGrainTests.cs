using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SweepGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private ISweepRegistryGrain Registry => fixture.Grains.GetGrain<ISweepRegistryGrain>(0);

    private ISweepGrain Sweep(long id) => fixture.Grains.GetGrain<ISweepGrain>(id);

    [Fact]
    public async Task A_grid_queues_every_configuration_fold_and_repeat_once_and_a_second_submission_of_it_queues_none()
    {
        await fixture.CancelOpenSweepsAsync();
        var request = Request("dedupe", Store(), ["linear:T", "late:T+F"], folds: [1, 2, 3], repeats: 2);

        var first = await Registry.Submit(request);
        Assert.Equal((12, 12, 0), (first.Runs, first.Queued, first.AlreadyFinished));
        var status = await Sweep(first.SweepId).GetStatus();
        Assert.Equal(SweepState.Active, status.State);
        Assert.Equal("dedupe", status.Name);
        Assert.Equal(["linear:T", "late:T+F"], status.Configurations.Select(c => c.Key));
        Assert.All(status.Configurations, c => Assert.Equal((6, 6, 0), (c.Total, c.Queued, c.Finished)));
        var runs = await fixture.Queue.RunsAsync(first.SweepId);
        Assert.Equal(12, runs.Select(r => (r.ConfigurationKey, r.Fold, r.Repeat)).Distinct().Count());

        var completed = await CompleteAllAsync("worker-1");
        Assert.Equal(runs.Select(r => r.Id).Order(), completed.Keys.Order());
        status = await Sweep(first.SweepId).GetStatus();
        Assert.Equal(SweepState.Completed, status.State);
        Assert.All(status.Configurations, c => Assert.Equal((6, 0, 6), (c.Succeeded, c.Queued, c.Finished)));
        var linear = completed.Values.Where(r => r.ConfigurationKey == "linear:T").Select(r => r.WallTimeSeconds).Average();
        Assert.Equal(linear, status.Configurations[0].MeanRunSeconds!.Value, 6);

        var second = await Registry.Submit(request);
        Assert.NotEqual(first.SweepId, second.SweepId);
        Assert.Equal((12, 0, 12), (second.Runs, second.Queued, second.AlreadyFinished));
        Assert.Empty(await fixture.Queue.LeaseAsync("worker-1", 10, Lease));
        var again = await Sweep(second.SweepId).GetStatus();
        Assert.Equal(SweepState.Completed, again.State);
        Assert.Equal((12, 12), (again.Total, again.Finished));
        Assert.Equal(runs.Select(r => r.Id).Order(), (await fixture.Queue.RunsAsync(second.SweepId)).Select(r => r.Id).Order());

        // The registry lists both sweeps, each as its grain reports it.
        var listed = await Registry.List();
        Assert.Contains(listed, s => s.Id == first.SweepId && s.State == SweepState.Completed);
        Assert.Contains(listed, s => s.Id == second.SweepId && s.State == SweepState.Completed && s.Total == 12);
    }

    [Fact]
    public async Task Status_counts_each_configurations_runs_by_state_as_the_database_holds_them()
    {
        await fixture.CancelOpenSweepsAsync();
        var submitted = await Registry.Submit(Request("progress", Store(), ["linear:T", "transformer:F", "concat:T+F"], folds: [1, 2]));
        Assert.Equal((6, 6), (submitted.Runs, submitted.Queued));

        var leased = await fixture.Queue.LeaseAsync("worker-1", 3, Lease);
        Assert.Equal(3, leased.Count);
        Assert.True(await fixture.Queue.StartAsync(leased[0].RunId, "worker-1"));
        Assert.True(await fixture.Queue.StartAsync(leased[1].RunId, "worker-1"));
        Assert.True(await fixture.Queue.CompleteAsync(leased[1].RunId, "worker-1", Result(leased[1], wallSeconds: 12.5)));

        var status = await Sweep(submitted.SweepId).GetStatus();
        Assert.Equal((3, 1, 1, 1, 0, 0), (status.Configurations.Sum(c => c.Queued), status.Configurations.Sum(c => c.Leased),
            status.Configurations.Sum(c => c.Running), status.Configurations.Sum(c => c.Succeeded), status.Configurations.Sum(c => c.Failed),
            status.Configurations.Sum(c => c.Cancelled)));
        var runs = await fixture.Queue.RunsAsync(submitted.SweepId);
        foreach (var configuration in status.Configurations)
        {
            var of = runs.Where(r => r.ConfigurationKey == configuration.Key).ToList();
            int Count(string state) => of.Count(r => r.State == state);
            Assert.Equal(
                (Count(RunStates.Queued), Count(RunStates.Leased), Count(RunStates.Running), Count(RunStates.Succeeded), Count(RunStates.Failed), Count(RunStates.Cancelled)),
                (configuration.Queued, configuration.Leased, configuration.Running, configuration.Succeeded, configuration.Failed, configuration.Cancelled));
            Assert.Equal(configuration.Key == leased[1].ConfigurationKey ? 12.5 : null, configuration.MeanRunSeconds);
        }
        Assert.Equal(1, status.Finished);
    }

    [Fact]
    public async Task Paused_runs_are_not_leased_resumed_ones_are_and_cancel_cancels_the_rest()
    {
        await fixture.CancelOpenSweepsAsync();
        var submitted = await Registry.Submit(Request("lifecycle", Store(), ["linear:T", "late:T+F"], folds: [1, 2]));
        var sweep = Sweep(submitted.SweepId);
        var first = await fixture.Queue.LeaseAsync("worker-1", 1, Lease);
        Assert.Single(first);
        Assert.True(await fixture.Queue.StartAsync(first[0].RunId, "worker-1"));

        await sweep.Pause();
        var status = await sweep.GetStatus();
        Assert.Equal(SweepState.Paused, status.State);
        // Pausing hands the running run back to the queue; nothing of the sweep is leased meanwhile.
        Assert.Equal((4, 0, 0), (status.Configurations.Sum(c => c.Queued), status.Configurations.Sum(c => c.Leased), status.Configurations.Sum(c => c.Running)));
        Assert.Empty(await fixture.Queue.LeaseAsync("worker-2", 10, Lease));
        await sweep.Pause(); // already paused: no change
        Assert.Equal(SweepState.Paused, (await sweep.GetStatus()).State);

        await sweep.Resume();
        Assert.Equal(SweepState.Active, (await sweep.GetStatus()).State);
        var resumed = await fixture.Queue.LeaseAsync("worker-2", 3, Lease);
        Assert.Equal(3, resumed.Count);
        var runIds = (await fixture.Queue.RunsAsync(submitted.SweepId)).Select(r => r.Id).ToHashSet();
        Assert.All(resumed, r => Assert.Contains(r.RunId, runIds));
        Assert.True(await fixture.Queue.CompleteAsync(resumed[0].RunId, "worker-2", Result(resumed[0], wallSeconds: 3)));

        await sweep.Cancel();
        status = await sweep.GetStatus();
        Assert.Equal(SweepState.Cancelled, status.State);
        Assert.Equal((1, 3, 0, 0, 0), (status.Configurations.Sum(c => c.Succeeded), status.Configurations.Sum(c => c.Cancelled),
            status.Configurations.Sum(c => c.Queued), status.Configurations.Sum(c => c.Leased), status.Configurations.Sum(c => c.Running)));
        Assert.Empty(await fixture.Queue.LeaseAsync("worker-2", 10, Lease));
        // A cancelled run's worker may not go on with it.
        Assert.False(await fixture.Queue.StartAsync(resumed[1].RunId, "worker-2"));
    }

    [Fact]
    public async Task Resuming_a_cancelled_sweep_fails_naming_the_sweep_and_its_state()
    {
        var submitted = await Registry.Submit(Request("done-with", Store(), ["linear:T"], folds: [1]));
        var sweep = Sweep(submitted.SweepId);
        await sweep.Cancel();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(sweep.Resume);
        Assert.Contains($"Sweep {submitted.SweepId} (done-with) is cancelled", error.Message);
        error = await Assert.ThrowsAsync<InvalidOperationException>(sweep.Pause);
        Assert.Contains("cannot be made paused", error.Message);
        Assert.Equal(SweepState.Cancelled, (await sweep.GetStatus()).State);
    }

    [Fact]
    public async Task A_sweep_that_does_not_exist_fails_with_a_message()
    {
        var missing = (await fixture.Queue.ListSweepsAsync()).Select(s => s.Id).DefaultIfEmpty(0).Max() + 1000;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Sweep(missing).GetStatus());
        Assert.Equal($"There is no sweep {missing}.", error.Message);
        error = await Assert.ThrowsAsync<ArgumentException>(() => Sweep(missing).Pause());
        Assert.Equal($"There is no sweep {missing}.", error.Message);
        Assert.Null(await fixture.Queue.GetSweepAsync(missing));
    }

    [Fact]
    public async Task A_grid_without_configurations_is_refused_and_nothing_is_recorded()
    {
        var before = (await fixture.Queue.ListSweepsAsync()).Count;
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Registry.Submit(Request("empty", Store(), [], folds: [1])));
        Assert.Contains("'empty'", error.Message);
        Assert.Equal(before, (await fixture.Queue.ListSweepsAsync()).Count);
    }

    private static string Store() => $"store-{Guid.NewGuid():N}"[..20];

    private static SweepRequest Request(string name, string store, IReadOnlyList<string> keys, IReadOnlyList<int> folds, int repeats = 1) =>
        new(name, $"/data/stores/{store}", store, """{"encoders": "builtin"}""", $"name: {name}\n", folds, repeats, Priority: 0,
            keys.Select(k => new ConfigurationSpec(k, k[..k.IndexOf(':')], k[(k.IndexOf(':') + 1)..])).ToList(), []);

    /// <summary>Leases, starts and completes every run it can, as a worker would; the results recorded, by run id.</summary>
    private async Task<Dictionary<long, RunResult>> CompleteAllAsync(string worker)
    {
        var recorded = new Dictionary<long, RunResult>();
        var wall = 10.0;
        while (await fixture.Queue.LeaseAsync(worker, 8, Lease) is { Count: > 0 } leased)
            foreach (var run in leased)
            {
                Assert.True(await fixture.Queue.StartAsync(run.RunId, worker));
                var result = Result(run, wall++);
                Assert.True(await fixture.Queue.CompleteAsync(run.RunId, worker, result));
                recorded[run.RunId] = result;
            }
        return recorded;
    }

    /// <summary>A run result with real metrics of a few seeded logits, as a worker records it.</summary>
    private static RunResult Result(LeasedRun run, double wallSeconds)
    {
        const int classes = 4;
        var seed = RunSeed.ForRun(run.ConfigurationKey, run.Fold, run.Repeat).Value;
        var random = new Random((int)seed);
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 12; i++)
        {
            var id = $"Ses0{run.Fold}F_impro01_{i:D4}";
            labels[id] = i % classes;
            logits[id] = Enumerable.Range(0, classes).Select(c => random.NextSingle() + (c == i % classes ? 1f : 0f)).ToArray();
        }
        return new RunResult(run.ConfigurationKey, run.Fold, run.Repeat, seed, Logits.Evaluate(logits, labels),
            EpochsRun: 2, BestEpoch: 1, ValidationUnweightedAccuracy: 0.5, WallTimeSeconds: wallSeconds, TrainingSamplesPerSecond: 900,
            logits, labels, ["validation-1"], [new EpochReport(1, 12, 1.2, 0.5, true, 900), new EpochReport(2, 12, 1.0, 0.45, false, 910)],
            new Dictionary<string, float[]>(StringComparer.Ordinal));
    }
}
