using Dapper;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>Sweeps over shared runs: submission, resubmission, pause, resume, cancel. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SweepTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_sweep_asks_for_every_configuration_fold_and_repeat_and_resubmitting_the_finished_grid_runs_nothing()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var grid = TestRuns.Sweep("grid", "store-a", ["linear:T", "late:T+F"], folds: 2, repeats: 2, combinations: [("linear:T", "late:T+F")]);

        var first = await queue.SubmitSweepAsync(grid);
        Assert.Equal((8, 8, 0, 0), (first.RunsTotal, first.RunsNew, first.RunsAlreadyFinished, first.RunsRequeued));
        var runs = await queue.RunsAsync(first.SweepId);
        Assert.Equal(
            from key in new[] { "linear:T", "late:T+F" } from repeat in new[] { 1, 2 } from fold in new[] { 1, 2 } select (key, fold, repeat),
            runs.Select(r => (r.ConfigurationKey, r.Fold, r.Repeat)));
        Assert.Equal(8, (await TestRuns.CompleteAllAsync(queue, "w")).Count);
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(first.SweepId))!.State);

        var again = await queue.SubmitSweepAsync(grid);

        Assert.Equal((8, 0, 8, 0), (again.RunsTotal, again.RunsNew, again.RunsAlreadyFinished, again.RunsRequeued));
        Assert.Equal(runs.Select(r => r.Id), (await queue.RunsAsync(again.SweepId)).Select(r => r.Id));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(again.SweepId))!.State);
        Assert.Empty(await queue.LeaseAsync("w", 8, Lease));
        Assert.Equal([first.SweepId, again.SweepId], (await queue.ListSweepsAsync()).Select(s => s.Id));
    }

    [Fact]
    public async Task A_wider_grid_adds_only_the_missing_runs_and_requeues_failed_and_cancelled_ones_with_fresh_attempts()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var first = await queue.SubmitSweepAsync(TestRuns.Sweep("small", "store-a", ["linear:T"], folds: 3, maxAttempts: 1));
        var runs = (await queue.LeaseAsync("w", 3, Lease)).OrderBy(r => r.Fold).ToList();
        Assert.True(await queue.CompleteAsync(runs[0].RunId, "w", TestRuns.Make("linear:T", 1, 1)));
        Assert.True(await queue.FailAttemptAsync(runs[1].RunId, "w", "boom", ""));
        await queue.SetSweepStateAsync(first.SweepId, SweepStates.Cancelled);

        var wider = await queue.SubmitSweepAsync(TestRuns.Sweep("wider", "store-a", ["linear:T", "linear:F"], folds: 3));

        Assert.Equal((6, 3, 1, 2), (wider.RunsTotal, wider.RunsNew, wider.RunsAlreadyFinished, wider.RunsRequeued));
        var requeued = (await queue.RunsAsync(wider.SweepId)).Where(r => r.ConfigurationKey == "linear:T" && r.Fold > 1).ToList();
        Assert.All(requeued, r => Assert.Equal((RunStates.Queued, 0, 3, (DateTime?)null), (r.State, r.Attempts, r.MaxAttempts, r.FinishedAt)));
        Assert.Equal(5, (await queue.LeaseAsync("w", 10, Lease)).Count);
    }

    [Fact]
    public async Task Pausing_hands_back_the_runs_in_flight_and_stops_leasing_until_resumed()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("paused", "store-a", ["linear:T"], folds: 4));
        var inFlight = await queue.LeaseAsync("w", 2, Lease);
        Assert.True(await queue.StartAsync(inFlight[0].RunId, "w"));

        await queue.SetSweepStateAsync(sweep.SweepId, SweepStates.Paused);

        foreach (var run in inFlight) Assert.False(await queue.HeartbeatAsync(run.RunId, "w", 2, Lease));
        Assert.All(await queue.RunsAsync(sweep.SweepId), r => Assert.Equal((RunStates.Queued, 0), (r.State, r.Attempts)));
        Assert.Empty(await queue.LeaseAsync("w", 4, Lease));

        await queue.SetSweepStateAsync(sweep.SweepId, SweepStates.Active);

        Assert.Equal(4, (await queue.LeaseAsync("w", 4, Lease)).Count);
    }

    [Fact]
    public async Task Cancelling_cancels_the_unfinished_runs_except_those_another_active_sweep_wants()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var cancelled = await queue.SubmitSweepAsync(TestRuns.Sweep("cancelled", "store-a", ["linear:T", "linear:F"], folds: 2));
        var kept = await queue.SubmitSweepAsync(TestRuns.Sweep("kept", "store-a", ["linear:F"], folds: 2));
        var leased = await queue.LeaseAsync("w", 4, Lease);
        var done = leased.First(r => r.ConfigurationKey == "linear:T");
        Assert.True(await queue.CompleteAsync(done.RunId, "w", TestRuns.Make("linear:T", done.Fold, 1)));

        await queue.SetSweepStateAsync(cancelled.SweepId, SweepStates.Cancelled);

        var states = (await queue.RunsAsync(cancelled.SweepId)).ToDictionary(r => (r.ConfigurationKey, r.Fold), r => r.State);
        Assert.Equal(RunStates.Succeeded, states[("linear:T", done.Fold)]);
        Assert.Equal(RunStates.Cancelled, states[("linear:T", 3 - done.Fold)]);
        Assert.Equal([RunStates.Leased, RunStates.Leased], new[] { states[("linear:F", 1)], states[("linear:F", 2)] });
        var sweep = (await queue.GetSweepAsync(cancelled.SweepId))!;
        Assert.Equal(SweepStates.Cancelled, sweep.State);
        Assert.NotNull(sweep.FinishedAt);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.SetSweepStateAsync(cancelled.SweepId, SweepStates.Active));
        Assert.Equal(SweepStates.Active, (await queue.GetSweepAsync(kept.SweepId))!.State);
    }

    [Fact]
    public async Task Unknown_sweeps_states_and_inconsistent_grids_are_refused_naming_what_is_wrong()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);

        var noSweep = await Assert.ThrowsAsync<ArgumentException>(() => queue.SetSweepStateAsync(42, SweepStates.Paused));
        var badState = await Assert.ThrowsAsync<ArgumentException>(() => queue.SetSweepStateAsync(42, SweepStates.Completed));
        var badCombination = await Assert.ThrowsAsync<ArgumentException>(() =>
            queue.SubmitSweepAsync(TestRuns.Sweep("g", "store-a", ["linear:T"], combinations: [("linear:T", "late:T+F")])));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => queue.SubmitSweepAsync(TestRuns.Sweep("g", "store-a", ["linear:T", "linear:T"])));
        var notJson = await Assert.ThrowsAsync<ArgumentException>(() => queue.SubmitSweepAsync(
            TestRuns.Sweep("g", "store-a", ["linear:T"]) with { Configurations = [new ConfigurationRow("linear:T", "linear", "T", "{lr: oops")] }));

        Assert.Contains("no sweep 42", noSweep.Message);
        Assert.Contains("'completed'", badState.Message);
        Assert.Contains("'late:T+F' is none of its configurations", badCombination.Message);
        Assert.Contains("'linear:T' twice", twice.Message);
        Assert.Contains("settings of configuration 'linear:T' are not JSON", notJson.Message);
        Assert.Null(await queue.GetSweepAsync(42));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM sweeps"));
    }
}
