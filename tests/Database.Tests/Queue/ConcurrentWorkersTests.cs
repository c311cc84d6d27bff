using System.Collections.Concurrent;
using Dapper;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>Workers racing for the same queue. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentWorkersTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Two_workers_leasing_at_once_never_get_the_same_run_and_every_run_is_recorded_exactly_once()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("race", "store-a", ["linear:T", "linear:F", "late:T+F", "coattention:T+F"], folds: 5, repeats: 4));
        var leases = new ConcurrentBag<(string Worker, long RunId)>();
        var recorded = new ConcurrentBag<long>();

        async Task Work(string worker)
        {
            while (await queue.LeaseAsync(worker, 3, TimeSpan.FromMinutes(5)) is { Count: > 0 } batch)
                foreach (var run in batch)
                {
                    leases.Add((worker, run.RunId));
                    Assert.True(await queue.StartAsync(run.RunId, worker));
                    if (await queue.CompleteAsync(run.RunId, worker, TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat, utterances: 8)))
                        recorded.Add(run.RunId);
                }
        }
        await Task.WhenAll(Task.Run(() => Work("worker-1")), Task.Run(() => Work("worker-2")));

        Assert.Equal(80, sweep.RunsTotal);
        Assert.Equal(80, leases.Count);
        Assert.Equal(80, leases.Select(l => l.RunId).Distinct().Count());
        Assert.Equal(leases.Select(l => l.RunId).Order(), recorded.Order());
        Assert.True(leases.Count(l => l.Worker == "worker-1") > 0 && leases.Count(l => l.Worker == "worker-2") > 0, "both workers took runs");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(80, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM results"));
        Assert.Equal(80, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM runs WHERE state = 'succeeded' AND attempts = 1"));
        Assert.Equal(SweepStates.Completed, (await queue.GetSweepAsync(sweep.SweepId))!.State);
    }

    [Fact]
    public async Task Two_workers_completing_the_same_run_at_once_record_it_once()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("twice", "store-a", ["linear:T"], folds: 1));
        var run = Assert.Single(await queue.LeaseAsync("worker-1", 1, TimeSpan.FromMinutes(5)));
        var result = TestRuns.Make("linear:T", 1, 1, utterances: 2000);

        var outcomes = await Task.WhenAll(
            Task.Run(() => queue.CompleteAsync(run.RunId, "worker-1", result)),
            Task.Run(() => queue.CompleteAsync(run.RunId, "worker-2", result)));

        Assert.Equal([false, true], outcomes.Order());
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(2000, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM test_logits"));
    }
}
