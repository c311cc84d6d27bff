using Dapper;
using Npgsql;
using Orchestrator.Models.Training;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>Results recorded many per transaction: <see cref="RunQueue.CompleteManyAsync"/> and <see cref="CompletionBatcher"/>. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BatchCompletionTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_batch_records_each_run_once_refuses_only_the_wrong_results_and_completes_the_sweep()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("batch", "store-a", ["linear:T", "linear:F"], folds: 2));
        var runs = (await queue.LeaseAsync("worker-1", 4, Lease)).OrderBy(r => r.RunId).ToList();
        RunCompletion Of(LeasedRun run) => new(run.RunId, "worker-1", TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat));

        var outcomes = await queue.CompleteManyAsync([
            Of(runs[0]), Of(runs[1]), Of(runs[0]),
            new(runs[2].RunId, "worker-1", TestRuns.Make(runs[2].ConfigurationKey, runs[2].Fold + 1, 1)),
            new(runs[3].RunId + 1000, "worker-1", TestRuns.Make(runs[3].ConfigurationKey, runs[3].Fold, 1)),
            Of(runs[2]), Of(runs[3])]);

        Assert.Equal([true, true, false, false, false, true, true], outcomes.Select(o => o.Recorded));
        Assert.Equal([false, false, false, true, true, false, false], outcomes.Select(o => o.Refusal is not null));
        Assert.Contains($"fold {runs[2].Fold + 1}", outcomes[3].Refusal);
        Assert.Contains($"no run {runs[3].RunId + 1000}", outcomes[4].Refusal);
        Assert.All(await queue.RunsAsync(sweep.SweepId), r => Assert.Equal((RunStates.Succeeded, "worker-1", (DateTime?)null), (r.State, r.Worker, r.LeaseExpiresAt)));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(sweep.SweepId))!.State);
        Assert.All(await queue.CompleteManyAsync(runs.Select(Of).ToList()), o => Assert.Equal(new CompletionOutcome(false, null), o));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal((4, 4 * 40, 4 * 4, 4 * 2), await connection.QuerySingleAsync<(int, int, int, int)>("""
            SELECT (SELECT count(*)::int FROM results), (SELECT count(*)::int FROM test_logits),
                   (SELECT count(*)::int FROM epoch_metrics), (SELECT count(*)::int FROM layer_weights)
            """));
    }

    [Fact]
    public async Task A_batch_reads_back_each_result_bit_for_bit()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("exact", "store-a", ["late:T+F"], folds: 3));
        var runs = await queue.LeaseAsync("worker-1", 3, Lease);
        var results = runs.ToDictionary(r => r.RunId, r => TestRuns.Make(r.ConfigurationKey, r.Fold, r.Repeat, utterances: 25, collapsed: r.Fold == 2));

        await queue.CompleteManyAsync(runs.Select(r => new RunCompletion(r.RunId, "worker-1", results[r.RunId])).ToList());

        var stored = await queue.ResultsAsync("store-a", "late:T+F");
        Assert.Equal(3, stored.Count);
        foreach (var read in stored)
            RunAssert.Same(results.Values.Single(r => r.Fold == read.Fold), read);
    }

    [Fact]
    public async Task Two_workers_completing_the_same_runs_in_batches_at_once_record_each_run_exactly_once()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("twice", "store-a", ["linear:T", "linear:F", "late:T+F", "coattention:T+F"], folds: 5, repeats: 2));
        var runs = await queue.LeaseAsync("worker-1", 40, Lease);
        List<RunCompletion> Batch(string worker, IEnumerable<LeasedRun> order) =>
            order.Select(r => new RunCompletion(r.RunId, worker, TestRuns.Make(r.ConfigurationKey, r.Fold, r.Repeat, utterances: 50))).ToList();

        var outcomes = await Task.WhenAll(
            Task.Run(() => queue.CompleteManyAsync(Batch("worker-1", runs))),
            Task.Run(() => queue.CompleteManyAsync(Batch("worker-2", runs.Reverse()))));

        var recorded = runs.Select((r, i) => (outcomes[0][i].Recorded ? 1 : 0) + (outcomes[1][runs.Count - 1 - i].Recorded ? 1 : 0));
        Assert.All(recorded, count => Assert.Equal(1, count));
        Assert.All(outcomes.SelectMany(o => o), o => Assert.Null(o.Refusal));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal((40, 40 * 50), await connection.QuerySingleAsync<(int, int)>(
            "SELECT (SELECT count(DISTINCT run_id)::int FROM results), (SELECT count(*)::int FROM test_logits)"));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(sweep.SweepId))!.State);
    }

    [Fact]
    public async Task The_batcher_acknowledges_a_result_only_once_it_is_committed_and_refuses_a_wrong_one_alone()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("group", "store-a", ["linear:T", "linear:F", "late:T+F", "coattention:T+F"], folds: 5));
        var runs = await queue.LeaseAsync("worker-1", 20, Lease);
        var wrong = runs[0];
        await using var batcher = new CompletionBatcher(queue, maxBatch: 8);

        // Each acknowledgement checked, the moment it arrives, on a connection of its own: the result must be there.
        async Task<(bool Recorded, bool Visible)> Complete(LeasedRun run)
        {
            var recorded = await batcher.CompleteAsync(run.RunId, "worker-1", TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat));
            await using var connection = await database.DataSource.OpenConnectionAsync();
            return (recorded, await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM results JOIN runs ON runs.id = results.run_id WHERE run_id = @RunId AND state = 'succeeded')", new { run.RunId }));
        }
        var refused = Assert.ThrowsAsync<ArgumentException>(() => batcher.CompleteAsync(wrong.RunId, "worker-1", TestRuns.Make(wrong.ConfigurationKey, wrong.Fold, 2)));
        var acknowledged = await Task.WhenAll(runs.Select(r => Task.Run(() => Complete(r))));

        Assert.Contains("repeat 2", (await refused).Message);
        Assert.All(acknowledged, a => Assert.Equal((true, true), a));
        Assert.False(await batcher.CompleteAsync(runs[1].RunId, "worker-2", TestRuns.Make(runs[1].ConfigurationKey, runs[1].Fold, runs[1].Repeat)));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(sweep.SweepId))!.State);
    }

    [Fact]
    public async Task The_batcher_fails_every_result_of_a_batch_it_could_not_commit_instead_of_acknowledging_it()
    {
        // A server that is not there: nothing can be committed.
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");
        await using var batcher = new CompletionBatcher(new RunQueue(unreachable));
        var result = TestRuns.Make("linear:T", 1, 1);

        var attempts = new[] { 1L, 2L, 3L }.Select(id => batcher.CompleteAsync(id, "worker-1", result)).ToList();

        foreach (var attempt in attempts) await Assert.ThrowsAnyAsync<NpgsqlException>(() => attempt);
    }
}
