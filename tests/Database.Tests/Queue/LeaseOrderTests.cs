namespace Orchestrator.Database.Tests.Queue;

/// <summary>Which runs a lease takes when sweeps compete. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LeaseOrderTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_sweep_of_highest_priority_is_served_first_even_when_submitted_last()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("background", "store-a", ["linear:T"], folds: 3));
        await queue.SubmitSweepAsync(TestRuns.Sweep("urgent", "store-a", ["linear:F"], folds: 3, priority: 5));

        var first = await queue.LeaseAsync("w", 3, Lease);
        var then = await queue.LeaseAsync("w", 3, Lease);

        Assert.All(first, r => Assert.Equal("linear:F", r.ConfigurationKey));
        Assert.All(then, r => Assert.Equal("linear:T", r.ConfigurationKey));
        Assert.Equal(3, then.Count);
    }

    [Fact]
    public async Task Sweeps_of_equal_priority_share_a_batch_instead_of_the_oldest_taking_it_all()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("a", "store-a", ["linear:T"], folds: 4));
        await queue.SubmitSweepAsync(TestRuns.Sweep("b", "store-a", ["linear:F"], folds: 4));

        var batch = await queue.LeaseAsync("w", 4, Lease);

        Assert.Equal(2, batch.Count(r => r.ConfigurationKey == "linear:T"));
        Assert.Equal(2, batch.Count(r => r.ConfigurationKey == "linear:F"));
    }

    [Fact]
    public async Task Among_equal_priorities_the_sweep_with_fewer_runs_in_flight_goes_first_then_the_oldest()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("old", "store-a", ["linear:T"], folds: 4));
        Assert.Equal(2, (await queue.LeaseAsync("w", 2, Lease)).Count);
        await queue.SubmitSweepAsync(TestRuns.Sweep("new", "store-a", ["linear:F"], folds: 4));

        var next = await queue.LeaseAsync("w", 2, Lease);
        var tie = await queue.LeaseAsync("w", 1, Lease);

        Assert.All(next, r => Assert.Equal("linear:F", r.ConfigurationKey));
        Assert.Equal("linear:T", Assert.Single(tie).ConfigurationKey);
    }

    [Fact]
    public async Task A_run_of_a_paused_sweep_is_still_leased_for_another_active_sweep_that_wants_it()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var paused = await queue.SubmitSweepAsync(TestRuns.Sweep("paused", "store-a", ["linear:T", "linear:F"], folds: 1));
        await queue.SubmitSweepAsync(TestRuns.Sweep("active", "store-a", ["linear:F"], folds: 1));
        await queue.SetSweepStateAsync(paused.SweepId, SweepStates.Paused);

        var leased = await queue.LeaseAsync("w", 5, Lease);

        Assert.Equal("linear:F", Assert.Single(leased).ConfigurationKey);
    }
    [Fact]
    public async Task A_lease_of_a_long_queue_takes_its_first_runs_passing_over_those_another_transaction_holds_and_expired_leases_first_by_id()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("long", "store-a", Enumerable.Range(1, 40).Select(c => $"linear:T[width={c}]").ToList(), folds: 5, repeats: 5));
        var ids = (await queue.RunsAsync(sweep.SweepId)).Select(r => r.Id).Order().ToList();
        var expired = Assert.Single(await queue.LeaseAsync("dead-worker", 1, Lease)).RunId;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = @Id", new { Id = expired });
        // Another worker's lease in progress: the next 300 runs locked until its transaction ends.
        await using var other = await database.DataSource.OpenConnectionAsync();
        await using var holding = await other.BeginTransactionAsync();
        var held = ids.Skip(1).Take(300).ToArray();
        await Dapper.SqlMapper.ExecuteAsync(other, "SELECT id FROM runs WHERE id = ANY(@Held) FOR UPDATE", new { Held = held }, holding);

        var leased = await queue.LeaseAsync("w", 10, Lease);

        Assert.Equal(1000, ids.Count);
        Assert.Equal(ids.Take(1).Concat(ids.Skip(301).Take(9)), leased.Select(r => r.RunId).Order());
        Assert.Equal(2, leased.Single(r => r.RunId == expired).Attempt);
    }
}
