using Orchestrator.Contracts.Sweeps;
using static Orchestrator.Grains.Tests.TestRuns;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// The run (fold) grain against the database as workers write it: the tests lease, start, report
/// epochs, complete and fail runs through <see cref="Database.RunQueue"/>, and ask the grain after
/// every step.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RunGrainTests(ClusterFixture fixture)
{
    private ISweepRegistryGrain Registry => fixture.Grains.GetGrain<ISweepRegistryGrain>(0);

    private IRunGrain Run(long id) => fixture.Grains.GetGrain<IRunGrain>(id);

    [Fact]
    public async Task A_run_reports_queued_leased_running_with_its_epoch_then_succeeded_with_its_UA()
    {
        await fixture.CancelOpenSweepsAsync();
        var submitted = await Registry.Submit(Request("run-succeeds", Store(), ["linear:T"], folds: [2]));
        var id = Assert.Single(await fixture.Queue.RunsAsync(submitted.SweepId)).Id;
        var before = DateTimeOffset.UtcNow;

        var queued = await Run(id).GetStatus();
        Assert.Equal((id, "linear:T", 2, 1, RunState.Queued, 0, 3), (queued.Id, queued.ConfigurationKey, queued.Fold, queued.Repeat, queued.State, queued.Attempt, queued.MaxAttempts));
        Assert.Equal((null, null, null, null, null, null, null), (queued.Worker, queued.Epoch, queued.StartedAt, queued.FinishedAt, queued.Error, queued.LogTail, queued.UnweightedAccuracy));
        Assert.False(queued.Finished);

        var leased = Assert.Single(await fixture.Queue.LeaseAsync("worker-7", 1, Lease));
        Assert.Equal(id, leased.RunId);
        var status = await Run(id).GetStatus();
        Assert.Equal((RunState.Leased, 1, "worker-7", (DateTimeOffset?)null), (status.State, status.Attempt, status.Worker, status.StartedAt));

        Assert.True(await fixture.Queue.StartAsync(id, "worker-7"));
        status = await Run(id).GetStatus();
        Assert.Equal((RunState.Running, (int?)null), (status.State, status.Epoch));
        Assert.InRange(status.StartedAt!.Value, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        Assert.True(await fixture.Queue.HeartbeatAsync(id, "worker-7", epoch: 4, Lease));
        Assert.Equal((RunState.Running, (int?)4), ((await Run(id).GetStatus()).State, (await Run(id).GetStatus()).Epoch));
        // A heartbeat without an epoch (between epochs) keeps the last one reached.
        Assert.True(await fixture.Queue.HeartbeatAsync(id, "worker-7", epoch: null, Lease));
        Assert.Equal(4, (await Run(id).GetStatus()).Epoch);

        var result = Result(leased);
        Assert.True(await fixture.Queue.CompleteAsync(id, "worker-7", result));
        var done = await Run(id).GetStatus();
        Assert.Equal((RunState.Succeeded, 1, "worker-7", (int?)4, (string?)null), (done.State, done.Attempt, done.Worker, done.Epoch, done.Error));
        Assert.Equal(result.Metrics.UnweightedAccuracy, done.UnweightedAccuracy!.Value, 12);
        Assert.True(done.FinishedAt >= done.StartedAt);
        Assert.True(done.Finished);
        Assert.Equal(SweepState.Completed, (await fixture.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus()).State);
    }

    [Fact]
    public async Task A_failed_attempt_is_queued_again_with_its_reason_and_the_last_allowed_one_fails_the_run_for_good()
    {
        await fixture.CancelOpenSweepsAsync();
        var submitted = await Registry.Submit(Request("run-fails", Store(), ["transformer:F"], folds: [1]));
        var id = Assert.Single(await fixture.Queue.RunsAsync(submitted.SweepId)).Id;

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var worker = $"worker-{attempt}";
            Assert.Equal(id, Assert.Single(await fixture.Queue.LeaseAsync(worker, 1, Lease)).RunId);
            var leased = await Run(id).GetStatus();
            // A new lease starts a fresh attempt: no epoch yet, but the previous attempt's reason is still there to read.
            Assert.Equal((RunState.Leased, attempt, worker, (int?)null), (leased.State, leased.Attempt, leased.Worker, leased.Epoch));
            Assert.Equal(attempt == 1 ? null : $"attempt {attempt - 1}: out of memory", leased.Error);
            Assert.True(await fixture.Queue.StartAsync(id, worker));
            Assert.True(await fixture.Queue.HeartbeatAsync(id, worker, epoch: attempt + 1, Lease));
            Assert.Equal(attempt + 1, (await Run(id).GetStatus()).Epoch);

            Assert.True(await fixture.Queue.FailAttemptAsync(id, worker, $"attempt {attempt}: out of memory", $"epoch {attempt + 1}\nCUDA out of memory (attempt {attempt})"));
            var failed = await Run(id).GetStatus();
            Assert.Equal(attempt < 3 ? RunState.Queued : RunState.Failed, failed.State);
            Assert.Equal((attempt, worker, $"attempt {attempt}: out of memory", $"epoch {attempt + 1}\nCUDA out of memory (attempt {attempt})"),
                (failed.Attempt, failed.Worker, failed.Error, failed.LogTail));
            Assert.Equal(attempt == 3, failed.FinishedAt is not null);
            Assert.Null(failed.UnweightedAccuracy);
        }
        Assert.Empty(await fixture.Queue.LeaseAsync("worker-4", 1, Lease));
        Assert.False(await Run(id).Cancel());
        Assert.Equal(RunState.Failed, (await Run(id).GetStatus()).State);
    }

    [Fact]
    public async Task Cancel_stops_one_unfinished_run_and_its_worker_and_leaves_finished_ones_alone()
    {
        await fixture.CancelOpenSweepsAsync();
        var submitted = await Registry.Submit(Request("run-cancel", Store(), ["late:T+F"], folds: [1, 2, 3]));
        var leased = await fixture.Queue.LeaseAsync("worker-1", 2, Lease);
        Assert.Equal(2, leased.Count);
        var (running, succeeded) = (leased[0], leased[1]);
        var queued = Assert.Single(await fixture.Queue.RunsAsync(submitted.SweepId), r => r.Id != running.RunId && r.Id != succeeded.RunId).Id;
        Assert.True(await fixture.Queue.StartAsync(running.RunId, "worker-1"));
        Assert.True(await fixture.Queue.HeartbeatAsync(running.RunId, "worker-1", epoch: 2, Lease));
        Assert.True(await fixture.Queue.StartAsync(succeeded.RunId, "worker-1"));
        Assert.True(await fixture.Queue.CompleteAsync(succeeded.RunId, "worker-1", Result(succeeded)));

        Assert.True(await Run(running.RunId).Cancel());
        var cancelled = await Run(running.RunId).GetStatus();
        Assert.Equal((RunState.Cancelled, "worker-1", (int?)2), (cancelled.State, cancelled.Worker, cancelled.Epoch));
        Assert.NotNull(cancelled.FinishedAt);
        // Its worker learns at the next heartbeat, and its failure report records nothing.
        Assert.False(await fixture.Queue.HeartbeatAsync(running.RunId, "worker-1", epoch: 3, Lease));
        Assert.False(await fixture.Queue.FailAttemptAsync(running.RunId, "worker-1", "stopped", ""));
        Assert.Equal(cancelled, await Run(running.RunId).GetStatus());
        Assert.False(await Run(running.RunId).Cancel());
        Assert.False(await Run(succeeded.RunId).Cancel());
        Assert.Equal(RunState.Succeeded, (await Run(succeeded.RunId).GetStatus()).State);

        // The sweep goes on with its other runs; cancelling the last unfinished one completes it.
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(submitted.SweepId);
        Assert.Equal((SweepState.Active, 1, 1, 1), Counts(await sweep.GetStatus()));
        Assert.True(await Run(queued).Cancel());
        Assert.Empty(await fixture.Queue.LeaseAsync("worker-1", 1, Lease));
        Assert.Equal((SweepState.Completed, 0, 1, 2), Counts(await sweep.GetStatus()));

        static (SweepState, int Queued, int Succeeded, int Cancelled) Counts(SweepStatus s) =>
            (s.State, s.Configurations.Sum(c => c.Queued), s.Configurations.Sum(c => c.Succeeded), s.Configurations.Sum(c => c.Cancelled));
    }

    [Fact]
    public async Task A_run_that_does_not_exist_fails_with_a_message()
    {
        var missing = long.MaxValue - 7;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Run(missing).GetStatus());
        Assert.Equal($"There is no run {missing}.", error.Message);
        error = await Assert.ThrowsAsync<ArgumentException>(() => Run(missing).Cancel());
        Assert.Equal($"There is no run {missing}.", error.Message);
    }
}
