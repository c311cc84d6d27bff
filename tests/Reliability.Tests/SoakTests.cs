using System.Diagnostics;
using System.Globalization;
using Dapper;
using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// A long sweep of short no-op runs across three silo processes while two of them are killed with
/// SIGKILL at seeded random points and started again. The short version (500 runs, 2 kills) runs
/// with the suite; <c>RELIABILITY_SOAK_RUNS=10000</c> (and <c>RELIABILITY_SOAK_KILLS</c>,
/// <c>RELIABILITY_SOAK_SEED</c>) makes it the long one.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SoakTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Folds = 5;
    private const int Repeats = 25;

    [Fact]
    public async Task A_sweep_under_random_kills_loses_no_run_duplicates_none_and_leaks_no_process_handle_connection_or_memory()
    {
        var total = Setting("RELIABILITY_SOAK_RUNS", 500);
        var kills = Setting("RELIABILITY_SOAK_KILLS", total >= 5000 ? 10 : 2);
        var seed = Setting("RELIABILITY_SOAK_SEED", 13);
        Assert.True(total % (Folds * Repeats) == 0, $"RELIABILITY_SOAK_RUNS must be a multiple of {Folds * Repeats}");
        var random = new Random(seed);
        // Short leases: a killed worker's runs come back in seconds; the steady silo does its share meanwhile.
        var lease = TimeSpan.FromSeconds(3);
        // The short sweep slow enough (about 30 runs/s) for its kills to land mid-sweep.
        var slots = total >= 5000 ? 8 : 2;
        var settings = TestCluster.Noop(duration: TimeSpan.FromMilliseconds(200), lease);
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database).Database!;
        var steady = await cluster.StartAsync("both", "steady", slots, settings);
        // Each worker comes back on its port, as a deployment's would: its new incarnation declares the killed one
        // dead at once. On a new port the dead one stays active until voted out, and Orleans holds every
        // joining silo (workers included, which lease nothing meanwhile) until it can reach it (docs/reliability.md).
        var ports = new[] { $"{FreePort.Next()}", $"{FreePort.Next()}" };
        Task<SiloProcess> StartWorker(int index) => cluster.StartAsync("worker", $"worker-{index + 1}", slots, settings, "--silo-port", ports[index]);
        var workers = await Task.WhenAll(StartWorker(0), StartWorker(1));
        var keys = Enumerable.Range(0, total / (Folds * Repeats)).Select(i => $"linear:T[width={8 + i}]").ToList();
        var watch = Stopwatch.StartNew();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("soak", fixture.Store, keys, folds: [.. Enumerable.Range(1, Folds)], repeats: Repeats));
        Assert.Equal(total, sweep.RunsNew);

        // Kill points: fractions of the sweep recorded, drawn from the seed.
        var plan = new Queue<double>(Enumerable.Range(0, kills).Select(_ => 0.1 + 0.75 * random.NextDouble()).Order());
        var restarts = new List<Task>();
        var killed = new List<string>();
        var restarting = new bool[2];
        (double Rss, int Handles, int Connections)? warm = null;
        var samples = new List<(double Seconds, double Rss, int Handles, int Connections)>();
        var deadline = TimeSpan.FromMinutes(total >= 5000 ? 20 : 3);
        while (true)
        {
            var done = await SucceededAsync(cluster, sweep.SweepId);
            if (done == total) break;
            Assert.True(watch.Elapsed < deadline, $"soak: {done} of {total} runs after {watch.Elapsed.TotalSeconds:0} s");
            var sample = (watch.Elapsed.TotalSeconds, Processes.ResidentMiB(steady.Id), Processes.FileHandles(steady.Id), await ConnectionsAsync(cluster, database));
            if (warm is null && done >= total / 5) warm = (sample.Item2, sample.Item3, sample.Item4);
            if (warm is not null) samples.Add(sample);
            // Every kill now due, each of a worker up at the moment (not one still restarting).
            while (plan.TryPeek(out var next) && done >= next * total)
            {
                var up = Enumerable.Range(0, workers.Length).Where(i => !restarting[i]).ToList();
                if (up.Count == 0) break;
                plan.Dequeue();
                var index = up[random.Next(up.Count)];
                var victim = workers[index];
                await victim.KillAsync();
                killed.Add($"{victim.Name} at {done}");
                restarting[index] = true;
                restarts.Add(Task.Run(async () =>
                {
                    workers[index] = await StartWorker(index);
                    restarting[index] = false;
                }));
            }
            await Task.Delay(500);
        }
        var elapsed = watch.Elapsed.TotalSeconds;
        await Task.WhenAll(restarts);
        var end = (Rss: Processes.ResidentMiB(steady.Id), Handles: Processes.FileHandles(steady.Id), Connections: await ConnectionsAsync(cluster, database));

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(total);
        Assert.Equal(kills, killed.Count);
        // Every silo stopped: none left behind, nor a connection of theirs.
        var silos = workers.Append(steady).ToList();
        foreach (var silo in silos) silo.Terminate();
        foreach (var silo in silos) await silo.WaitForExitAsync(TimeSpan.FromSeconds(45));
        var leftProcesses = Processes.Matching(SiloProcess.Cli, database).Count;
        int leftConnections = 0;
        for (var i = 0; i < 20 && (leftConnections = await ConnectionsAsync(cluster, database)) > 0; i++) await Task.Delay(250);

        var maxRss = samples.Max(s => s.Rss);
        var maxHandles = samples.Max(s => s.Handles);
        var maxConnections = samples.Max(s => s.Connections);
        output.WriteLine($"soak: {total} runs in {elapsed:0.0} s ({total / elapsed:0} runs/s), kills {string.Join(", ", killed)}, attempts {ledger.Attempts}");
        output.WriteLine($"steady silo after warm-up -> end (max): RSS {warm!.Value.Rss:0} -> {end.Rss:0} ({maxRss:0}) MiB, file handles {warm.Value.Handles} -> {end.Handles} ({maxHandles}); " +
                         $"connections of the cluster {warm.Value.Connections} -> {end.Connections} ({maxConnections}), after the stop {leftConnections}; processes left {leftProcesses}");
        Add(new Row($"soak: {total} no-op runs, seeded kills (seed {seed})",
            $"kill -9 of a worker silo at {string.Join(", ", killed)} runs recorded, each restarted; 3 silos ({slots} slots each), runs of 0.2 s, lease {lease.TotalSeconds:0} s",
            total, ledger,
            $"{elapsed:0.0} s in all ({total / elapsed:0} runs/s); steady silo after warm-up -> end: RSS {warm.Value.Rss:0} -> {end.Rss:0} MiB (max {maxRss:0}), file handles {warm.Value.Handles} -> {end.Handles} (max {maxHandles}); " +
            $"cluster connections {warm.Value.Connections} -> {end.Connections} (max {maxConnections}), {leftConnections} after the stop; {leftProcesses} processes left"));
        Assert.Equal(0, leftProcesses);
        Assert.Equal(0, leftConnections);
        // Flat after warm-up: handles and connections do not grow with runs or kills, memory stays within GC noise.
        Assert.InRange(end.Handles, 0, warm.Value.Handles + 16);
        // Connections: pools grow with contention after warm-up (the long soak went from 14 to 36 with 8 slots a silo),
        // so the bound is what three silos' pools may need, not the warm-up count: a slot's heartbeat and its failed
        // attempt at once, plus each silo's lease loop, recorder, listener, membership and metrics. A leak grows with
        // runs and kills past it; a killed silo's connections end with it (none are left after the stop, asserted above).
        Assert.InRange(maxConnections, 0, 3 * (2 * slots + 6));
        Assert.InRange(end.Rss, 0, warm.Value.Rss * 1.5 + 32);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static async Task<int> SucceededAsync(TestCluster cluster, long sweepId)
    {
        await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*)::integer FROM sweep_runs sr JOIN runs r ON r.id = sr.run_id WHERE sr.sweep_id = @SweepId AND r.state = 'succeeded'",
            new { SweepId = sweepId });
    }

    /// <summary>Connections to the test's database other than the test's own: its pool's idle ones closed first, the counting one named.</summary>
    private static async Task<int> ConnectionsAsync(TestCluster cluster, string database)
    {
        cluster.Opened.DataSource.Clear();
        var counting = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database) { ApplicationName = "reliability-tests", Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(counting.ConnectionString);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("""
            SELECT count(*)::integer FROM pg_stat_activity
            WHERE datname = @Database AND backend_type = 'client backend' AND application_name <> 'reliability-tests'
            """, new { Database = database });
    }
}
