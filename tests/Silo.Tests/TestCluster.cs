using Dapper;
using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// One test's cluster: a fresh database of the fixture's server, the silo processes the test starts
/// on it, and readers of the run queue for the assertions. Disposing kills every silo still running
/// and prints the errors they logged and the warnings of the Orchestrator's own code.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private readonly ITestOutputHelper _output;

    private TestCluster(string database, OrchestratorDatabase opened, ITestOutputHelper output)
    {
        Database = database;
        Opened = opened;
        Queue = new RunQueue(opened.DataSource);
        _output = output;
    }

    public string Database { get; }

    public OrchestratorDatabase Opened { get; }

    public RunQueue Queue { get; }

    public static async Task<TestCluster> CreateAsync(ClusterFixture fixture, ITestOutputHelper output)
    {
        var database = await fixture.CreateDatabaseAsync();
        return new TestCluster(database, await OrchestratorDatabase.OpenAsync(database), output);
    }

    /// <summary>Worker settings for a no-op worker: runs take <paramref name="duration"/>, leases last <paramref name="lease"/>.</summary>
    public static Dictionary<string, string> Noop(TimeSpan duration, TimeSpan? lease = null, TimeSpan? poll = null) => new()
    {
        ["Orchestrator__Worker__Executor"] = "noop",
        ["Orchestrator__Worker__NoopDuration"] = $"{duration:c}",
        ["Orchestrator__Worker__Lease"] = $"{lease ?? TimeSpan.FromMinutes(1):c}",
        ["Orchestrator__Worker__Poll"] = $"{poll ?? TimeSpan.FromMilliseconds(200):c}",
    };

    /// <summary>A worker silo; with <paramref name="output"/> its stdout and stderr go to that file (see <see cref="SiloProcess.StartAsync"/>).</summary>
    public Func<Task<SiloProcess>> Worker(string name, int slots, IReadOnlyDictionary<string, string> settings, string? output = null) =>
        () => Track(SiloProcess.StartAsync("worker", name, Database, slots, settings, output: output));

    public Func<Task<SiloProcess>> Coordinator(string name = "coordinator") =>
        () => Track(SiloProcess.StartAsync("coordinator", name, Database, 0));

    /// <summary>A silo of any role on <paramref name="database"/> (null: the connection string comes by <paramref name="settings"/>).</summary>
    public Task<SiloProcess> StartOnAsync(string? database, string role, string name, int slots, IReadOnlyDictionary<string, string>? settings, params string[] arguments) =>
        Track(SiloProcess.StartAsync(role, name, database, slots, settings, arguments));

    /// <summary>A silo of any role with command-line <paramref name="arguments"/> of its own (<c>--http-port</c>).</summary>
    public Task<SiloProcess> StartAsync(string role, string name, int slots, IReadOnlyDictionary<string, string>? settings, params string[] arguments) =>
        Track(SiloProcess.StartAsync(role, name, Database, slots, settings, arguments));

    /// <summary>The database server's clock, which stamps every run.</summary>
    public async Task<DateTime> NowAsync()
    {
        await using var connection = await Opened.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime>("SELECT now()");
    }

    /// <summary>(result rows, distinct runs among them) of the sweep's runs.</summary>
    public async Task<(int Rows, int Runs)> ResultsAsync(long sweepId)
    {
        await using var connection = await Opened.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(int, int)>("""
            SELECT count(*)::integer, count(DISTINCT r.run_id)::integer
            FROM results r JOIN sweep_runs sr ON sr.run_id = r.run_id WHERE sr.sweep_id = @SweepId
            """, new { SweepId = sweepId });
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> and the silos' last lines.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.\n" + string.Join('\n', _silos.Select(s => $"--- {s.Name}:\n{s.Tail(15)}")));
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the sweep is completed.</summary>
    public Task WaitForCompletionAsync(long sweepId, TimeSpan timeout) =>
        WaitUntilAsync(async () => (await Queue.GetSweepAsync(sweepId))?.State == SweepStates.Completed, $"sweep {sweepId} completes", timeout);

    private async Task<SiloProcess> Track(Task<SiloProcess> starting)
    {
        var silo = await starting;
        lock (_silos) _silos.Add(silo);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
            var trouble = silo.Log.Where(l => l.Contains("warn: Orchestrator.", StringComparison.Ordinal) || l.Contains("fail: ", StringComparison.Ordinal) || l.Contains("crit: ", StringComparison.Ordinal)).TakeLast(10).ToList();
            if (trouble.Count > 0) _output.WriteLine($"{silo.Name} logged:\n  {string.Join("\n  ", trouble)}");
        }
        await Opened.DisposeAsync();
    }
}
