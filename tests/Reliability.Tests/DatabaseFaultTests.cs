using System.Diagnostics;
using Npgsql;
using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>PostgreSQL, the cluster's only durable state, stopped for 30 s in the middle of a sweep and started again.</summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostgreSQL_stopped_for_30_s_mid_sweep_silos_wait_and_retry_and_nothing_is_written_twice_or_by_halves()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        // The default lease (a minute) outlasts the outage: runs in flight keep their leases.
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1), lease: TimeSpan.FromMinutes(1));
        var silos = await SiloProcess.StartAllAsync(cluster.Coordinator(), cluster.Worker("worker-a", 2, settings), cluster.Worker("worker-b", 2, settings));
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("database-outage", fixture.Store, ["linear:T", "linear:F", "linear:P", "linear:W"], folds: [1, 2, 3, 4, 5], repeats: 2));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)) is var r && r.Count(x => x.State == RunStates.Succeeded) >= 8 && r.Any(x => x.State == RunStates.Running),
            "8 runs finished and others run", TimeSpan.FromSeconds(60));

        var watch = Stopwatch.StartNew();
        await fixture.Server.StopAsync();
        var stopped = watch.Elapsed;
        await Task.Delay(Outage - stopped);
        await fixture.Server.StartAgainAsync();
        var down = watch.Elapsed.TotalSeconds;
        // The test's own pool holds connections the stop broke.
        NpgsqlConnection.ClearAllPools();
        cluster.Opened.DataSource.Clear();
        var restartedAt = await cluster.NowAsync();
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(150));

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(40);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        var firstRecorded = runs.Where(r => r.FinishedAt > restartedAt).Min(r => (r.FinishedAt!.Value - restartedAt).TotalSeconds);
        var firstStarted = runs.Where(r => r.StartedAt > restartedAt).Select(r => (r.StartedAt!.Value - restartedAt).TotalSeconds).DefaultIfEmpty(double.NaN).Min();
        var completed = ((await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value - restartedAt).TotalSeconds;
        Add(new Row("PostgreSQL stopped mid-sweep and started again", $"`pg_ctl stop -m fast` with runs in flight, down {down:0} s; coordinator and 2 workers (2 slots each), no-op runs of 1 s, lease 60 s",
            40, ledger, $"first result recorded {S(firstRecorded)} and first run started {S(firstStarted)} after the restart; sweep completed {S(completed)} after it; no silo exited"));
        Assert.All(silos, s => Assert.False(s.HasExited, $"{s.Name} exited during the outage:\n{s.Tail(20)}"));
        // Workers retry at most 10 s apart (RunWorker.MaxRetryDelay): back at work within that, whenever in its backoff the server returned.
        Assert.InRange(firstRecorded, 0, 15);
    }
}
