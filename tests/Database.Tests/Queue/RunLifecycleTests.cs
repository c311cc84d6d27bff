using Dapper;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>One run's life: lease, start, heartbeat, result or failure, hand-back and lease expiry. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RunLifecycleTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_leased_run_carries_what_the_worker_needs_and_is_recorded_once_whoever_completes_it()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["late:T+F[lr=0.0001]"], folds: 1));

        var run = Assert.Single(await queue.LeaseAsync("worker-1", 4, Lease));
        Assert.Equal(new LeasedRun(run.RunId, "store-a", "/data/stores/store-a", "late:T+F[lr=0.0001]", "late", "T+F", """{"lr": 0.0001}""", 1, 1, 1), run);
        Assert.Empty(await queue.LeaseAsync("worker-2", 4, Lease));
        Assert.Equal(RunStates.Leased, (await Single(queue, submitted.SweepId)).State);

        Assert.False(await queue.StartAsync(run.RunId, "worker-2"));
        Assert.True(await queue.StartAsync(run.RunId, "worker-1"));
        Assert.True(await queue.HeartbeatAsync(run.RunId, "worker-1", 7, Lease));
        Assert.False(await queue.HeartbeatAsync(run.RunId, "worker-2", 7, Lease));
        var running = await Single(queue, submitted.SweepId);
        Assert.Equal((RunStates.Running, 7, "worker-1"), (running.State, running.Epoch, running.Worker));

        var result = TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat);
        Assert.True(await queue.CompleteAsync(run.RunId, "worker-1", result));
        Assert.False(await queue.CompleteAsync(run.RunId, "worker-1", result));
        Assert.False(await queue.CompleteAsync(run.RunId, "worker-2", result));

        Assert.Equal(RunStates.Succeeded, (await Single(queue, submitted.SweepId)).State);
        Assert.False(await queue.HeartbeatAsync(run.RunId, "worker-1", 8, Lease));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal((1, result.TestLogits.Count, result.Epochs.Count, result.LayerWeights.Count), await connection.QuerySingleAsync<(int, int, int, int)>("""
            SELECT (SELECT count(*)::int FROM results), (SELECT count(*)::int FROM test_logits),
                   (SELECT count(*)::int FROM epoch_metrics), (SELECT count(*)::int FROM layer_weights)
            """));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(submitted.SweepId))!.State);
    }

    [Fact]
    public async Task A_result_of_another_run_or_for_no_run_is_refused_and_nothing_is_recorded()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T"], folds: 1));
        var run = Assert.Single(await queue.LeaseAsync("worker-1", 1, Lease));

        var wrongFold = await Assert.ThrowsAsync<ArgumentException>(() => queue.CompleteAsync(run.RunId, "worker-1", TestRuns.Make("linear:T", 2, 1)));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => queue.CompleteAsync(run.RunId + 1000, "worker-1", TestRuns.Make("linear:T", 1, 1)));

        Assert.Contains("fold 2", wrongFold.Message);
        Assert.Contains($"no run {run.RunId + 1000}", missing.Message);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM results"));
        Assert.Equal(RunStates.Leased, await connection.ExecuteScalarAsync<string>("SELECT state FROM runs"));
    }

    [Fact]
    public async Task Failed_attempts_queue_the_run_again_until_the_last_which_fails_it_with_error_and_log_tail()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("flaky", "store-a", ["linear:T"], folds: 1, maxAttempts: 2));

        var first = Assert.Single(await queue.LeaseAsync("worker-1", 1, Lease));
        Assert.False(await queue.FailAttemptAsync(first.RunId, "worker-2", "not mine", ""));
        Assert.True(await queue.FailAttemptAsync(first.RunId, "worker-1", "exit code 1", "line 1\nline 2"));
        var requeued = await Single(queue, submitted.SweepId);
        Assert.Equal((RunStates.Queued, 1), (requeued.State, requeued.Attempts));
        Assert.Equal(SweepStates.Active, (await queue.GetSweepAsync(submitted.SweepId))!.State);

        var second = Assert.Single(await queue.LeaseAsync("worker-2", 1, Lease));
        Assert.Equal(2, second.Attempt);
        Assert.True(await queue.FailAttemptAsync(second.RunId, "worker-2", "CUDA out of memory", "last lines"));

        var failed = await Single(queue, submitted.SweepId);
        Assert.Equal((RunStates.Failed, 2, "CUDA out of memory", "last lines"), (failed.State, failed.Attempts, failed.Error, failed.LogTail));
        Assert.NotNull(failed.FinishedAt);
        Assert.Empty(await queue.LeaseAsync("worker-1", 1, Lease));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(submitted.SweepId))!.State);
    }

    [Fact]
    public async Task An_expired_lease_goes_to_another_worker_and_the_first_worker_loses_the_run_but_its_late_result_still_counts_once()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T"], folds: 1));
        var first = Assert.Single(await queue.LeaseAsync("dead-worker", 1, Lease));
        Assert.True(await queue.StartAsync(first.RunId, "dead-worker"));
        Assert.Empty(await queue.LeaseAsync("worker-2", 1, Lease));

        await Expire(database, first.RunId);
        var second = Assert.Single(await queue.LeaseAsync("worker-2", 1, Lease));

        Assert.Equal((first.RunId, 2), (second.RunId, second.Attempt));
        Assert.False(await queue.HeartbeatAsync(first.RunId, "dead-worker", 3, Lease));
        Assert.False(await queue.StartAsync(first.RunId, "dead-worker"));
        var result = TestRuns.Make("linear:T", 1, 1);
        Assert.True(await queue.CompleteAsync(first.RunId, "dead-worker", result));
        Assert.False(await queue.HeartbeatAsync(second.RunId, "worker-2", 1, Lease));
        Assert.False(await queue.CompleteAsync(second.RunId, "worker-2", result));
        var stored = Assert.Single(await queue.ResultsAsync("store-a", "linear:T"));
        Assert.Equal(result.TestLogits.Count, stored.TestLogits.Count);
    }

    [Fact]
    public async Task A_run_whose_last_allowed_lease_expires_fails_naming_the_worker_instead_of_being_leased_again()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T"], folds: 1, maxAttempts: 1));
        var run = Assert.Single(await queue.LeaseAsync("worker 'x'", 1, Lease));

        await Expire(database, run.RunId);

        Assert.Empty(await queue.LeaseAsync("worker-2", 1, Lease));
        var failed = await Single(queue, submitted.SweepId);
        Assert.Equal((RunStates.Failed, "lease expired on attempt 1 of 1; last worker worker 'x'"), (failed.State, failed.Error));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(submitted.SweepId))!.State);
    }

    [Fact]
    public async Task Release_hands_every_run_of_the_worker_back_without_counting_the_attempt()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T", "linear:F"], folds: 2));
        var mine = await queue.LeaseAsync("stopping", 3, Lease);
        Assert.True(await queue.StartAsync(mine[0].RunId, "stopping"));
        var other = Assert.Single(await queue.LeaseAsync("staying", 1, Lease));

        Assert.Equal(3, await queue.ReleaseAsync("stopping"));

        var runs = await queue.RunsAsync(submitted.SweepId);
        Assert.All(runs.Where(r => r.Id != other.RunId), r => Assert.Equal((RunStates.Queued, 0), (r.State, r.Attempts)));
        Assert.Equal(RunStates.Leased, runs.Single(r => r.Id == other.RunId).State);
        Assert.All(await queue.LeaseAsync("next", 3, Lease), r => Assert.Equal(1, r.Attempt));
        Assert.Equal(0, await queue.ReleaseAsync("stopping"));
    }

    [Fact]
    public async Task Leasing_and_starting_at_once_gives_running_runs_that_heartbeat_complete_and_hand_back_like_started_ones()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T", "linear:F"], folds: 2));

        var started = await queue.LeaseAndStartAsync("worker-1", 3, Lease);

        Assert.Equal(3, started.Count);
        Assert.All(started, r => Assert.Equal(1, r.Attempt));
        var runs = (await queue.RunsAsync(submitted.SweepId)).ToDictionary(r => r.Id);
        Assert.All(started, r => Assert.Equal((RunStates.Running, "worker-1", true), (runs[r.RunId].State, runs[r.RunId].Worker, runs[r.RunId].StartedAt is not null)));
        Assert.True(await queue.HeartbeatAsync(started[0].RunId, "worker-1", 2, Lease));
        Assert.True(await queue.StartAsync(started[0].RunId, "worker-1"));
        Assert.Equal(runs[started[0].RunId].StartedAt, (await queue.RunsAsync(submitted.SweepId)).Single(r => r.Id == started[0].RunId).StartedAt);
        Assert.True(await queue.CompleteAsync(started[1].RunId, "worker-1", TestRuns.Make(started[1].ConfigurationKey, started[1].Fold, started[1].Repeat)));
        Assert.Equal(2, await queue.ReleaseAsync("worker-1"));
        Assert.Equal(3, (await queue.LeaseAsync("worker-2", 4, Lease)).Count);
    }

    [Fact]
    public async Task Progress_counts_each_configurations_runs_by_state_with_the_mean_wall_time_of_those_succeeded()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var submitted = await queue.SubmitSweepAsync(TestRuns.Sweep("one", "store-a", ["linear:T", "late:T+F"], folds: 3));
        Assert.Equal(6, (await queue.LeaseAsync("w", 6, Lease)).Count);
        var runs = (await queue.RunsAsync(submitted.SweepId)).ToDictionary(r => (r.ConfigurationKey, r.Fold), r => r.Id);
        var results = new[] { 1, 2 }.Select(fold => TestRuns.Make("linear:T", fold, 1)).ToList();
        foreach (var result in results) Assert.True(await queue.CompleteAsync(runs[("linear:T", result.Fold)], "w", result));
        Assert.True(await queue.StartAsync(runs[("linear:T", 3)], "w"));
        Assert.True(await queue.FailAttemptAsync(runs[("late:T+F", 1)], "w", "exit code 1", ""));

        var progress = await queue.SweepProgressAsync(submitted.SweepId);

        Assert.Equal(["linear:T", "late:T+F"], progress.Select(p => p.ConfigurationKey));
        Assert.Equal(new SweepConfigurationProgress("linear:T", 0, 0, 1, 2, 0, 0, progress[0].MeanWallSeconds), progress[0]);
        Assert.Equal(results.Average(r => r.WallTimeSeconds), progress[0].MeanWallSeconds!.Value, 1e-12);
        Assert.Equal(new SweepConfigurationProgress("late:T+F", 1, 2, 0, 0, 0, 0, null), progress[1]);
    }

    private static async Task<RunRow> Single(RunQueue queue, long sweepId) => Assert.Single(await queue.RunsAsync(sweepId));

    /// <summary>Moves a lease into the past, as if its worker had stopped renewing it.</summary>
    private static async Task Expire(OrchestratorDatabase database, long runId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = @RunId", new { RunId = runId });
    }
}
