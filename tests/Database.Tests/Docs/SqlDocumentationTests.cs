using System.Text.RegularExpressions;
using Npgsql;

namespace Orchestrator.Database.Tests.Docs;

/// <summary>
/// Every query of docs/sql.md runs against a database the run queue filled (tables 1-3, a
/// combination, a collapsed configuration, a failed run, a run in flight) and returns rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SqlDocumentationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Every_query_in_docs_sql_md_runs_and_returns_rows()
    {
        var queries = SqlBlocks().Matches(await File.ReadAllTextAsync(DocumentPath())).Select(m => m.Groups[1].Value).ToList();
        await using var database = await ArrangeAsync();

        Assert.True(queries.Count >= 10, $"docs/sql.md has {queries.Count} queries; it promises ten or more.");
        foreach (var query in queries)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"No rows from:\n{query}");
        }
    }

    private async Task<OrchestratorDatabase> ArrangeAsync()
    {
        var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await queue.SubmitSweepAsync(TestRuns.Sweep("paper", "store-docs",
            ["linear:T", "transformer:T", "linear:F", "late:T+F", "coattention:T+F", "concat:T+F"], combinations: [("coattention:T+F", "late:T+F")]));
        await TestRuns.CompleteAllAsync(queue, "worker-1", run => TestRuns.Make(run.ConfigurationKey, run.Fold, run.Repeat, collapsed: run.ConfigurationKey == "linear:F"));
        await queue.SubmitSweepAsync(TestRuns.Sweep("broken", "store-docs", ["linear:W"], folds: 1, maxAttempts: 1));
        var broken = Assert.Single(await queue.LeaseAsync("worker-1", 1, TimeSpan.FromMinutes(5)));
        Assert.True(await queue.FailAttemptAsync(broken.RunId, "worker-1", "the run process exited with code 137", "epoch 3\nKilled\n"));
        await queue.SubmitSweepAsync(TestRuns.Sweep("in flight", "store-docs", ["linear:S"], folds: 1));
        var running = Assert.Single(await queue.LeaseAsync("worker-2", 1, TimeSpan.FromMinutes(5)));
        Assert.True(await queue.StartAsync(running.RunId, "worker-2"));
        Assert.True(await queue.HeartbeatAsync(running.RunId, "worker-2", 4, TimeSpan.FromMinutes(5)));
        return database;
    }

    private static string DocumentPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln"))) return Path.Combine(directory.FullName, "docs", "sql.md");
        throw new FileNotFoundException($"No Orchestrator.sln above {AppContext.BaseDirectory}: cannot find docs/sql.md.");
    }

    [GeneratedRegex(@"^```sql\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex SqlBlocks();
}
