using Dapper;

namespace Orchestrator.Database.Tests.Queue;

/// <summary>The trace context stored with a sweep reaches the workers that lease its runs. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceContextTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private const string Sweep = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static string Configuration(char digit) => $"00-0af7651916cd43dd8448eb211c80319c-{new string(digit, 16)}-01";

    [Fact]
    public async Task A_leased_run_carries_the_trace_context_of_its_configuration_in_the_sweep_and_none_when_untraced()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        var traced = TestRuns.Sweep("traced", "store-a", ["linear:T", "late:T+F"], folds: 1) with
        {
            Trace = new SweepTraceContext(Sweep, new Dictionary<string, string> { ["linear:T"] = Configuration('1'), ["late:T+F"] = Configuration('2') }),
        };
        var submitted = await queue.SubmitSweepAsync(traced);
        var untraced = await queue.SubmitSweepAsync(TestRuns.Sweep("untraced", "store-a", ["concat:T+F"], folds: 1));

        var leased = await queue.LeaseAsync("worker-1", 4, Lease);

        Assert.Equal(3, leased.Count);
        Assert.Equal(Configuration('1'), leased.Single(r => r.ConfigurationKey == "linear:T").TraceParent);
        Assert.Equal(Configuration('2'), leased.Single(r => r.ConfigurationKey == "late:T+F").TraceParent);
        Assert.Null(leased.Single(r => r.ConfigurationKey == "concat:T+F").TraceParent);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(Sweep, await connection.ExecuteScalarAsync<string>("SELECT trace_parent FROM sweeps WHERE id = @Id", new { Id = submitted.SweepId }));
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT trace_parent FROM sweeps WHERE id = @Id", new { Id = untraced.SweepId }));
    }
}
