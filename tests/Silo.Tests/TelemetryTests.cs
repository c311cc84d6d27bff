using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// A silo's HTTP port (<c>--http-port</c>): liveness, readiness, and the Prometheus metrics that
/// deploy/metrics.txt promises the dashboards and alerts, scraped from silo processes running a sweep.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_with_an_http_port_is_live_ready_once_joined_and_counts_the_runs_of_a_sweep()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var (coordinatorPort, workerPort) = (Scrape.FreePort(), Scrape.FreePort());
        await cluster.StartAsync("coordinator", "coordinator", 0, null, "--http-port", $"{coordinatorPort}");
        await cluster.StartAsync("worker", "w1", 2, TestCluster.Noop(TimeSpan.Zero), "--http-port", $"{workerPort}");

        Assert.Equal(200, await Scrape.StatusAsync(workerPort, "/healthz"));
        await cluster.WaitUntilAsync(async () => await Scrape.StatusAsync(workerPort, "/readyz") == 200, "the worker is ready", TimeSpan.FromSeconds(30));
        await cluster.WaitUntilAsync(async () => await Scrape.StatusAsync(coordinatorPort, "/readyz") == 200, "the coordinator is ready", TimeSpan.FromSeconds(30));
        Assert.Equal(404, await Scrape.StatusAsync(workerPort, "/nothing"));
        var before = await Scrape.ReadAsync(workerPort);
        Assert.Equal(0, before.Sum("orchestrator_runs_succeeded_total"));
        Assert.Equal(2, before.Sum("orchestrator_worker_slots"));

        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("counted", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2, 3]));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(60));

        var after = await Scrape.ReadAsync(workerPort);
        Assert.Equal(6, after.Sum("orchestrator_runs_succeeded_total"));
        Assert.Equal(6, after.Sum("orchestrator_runs_leased_total"));
        Assert.Equal(6, after.Sum("orchestrator_runs_started_total"));
        Assert.Equal(0, after.Sum("orchestrator_runs_failed_total"));
        Assert.Equal(6, after.Sum("orchestrator_run_duration_seconds_count"));
        Assert.Equal(6, after.Sum("orchestrator_epoch_duration_seconds_count"));      // a no-op run has one epoch
        var perConfiguration = after.Samples.Where(s => s.Name == "orchestrator_runs_succeeded_total")
            .ToDictionary(s => s.Labels["configuration"], s => (s.Labels["worker"], s.Value));
        Assert.Equal(("w1", 3.0), perConfiguration["linear:T"]);
        Assert.Equal(("w1", 3.0), perConfiguration["linear:F"]);
        // The validation UAs of the six results, in the histogram of finished runs.
        await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
        var uaSum = await Dapper.SqlMapper.ExecuteScalarAsync<double>(connection, "SELECT sum(validation_ua) FROM results");
        Assert.Equal(uaSum, after.Sum("orchestrator_run_ua_sum"), 6);
        Assert.Equal(6, after.Sum("orchestrator_run_ua_count"));
    }

    [Fact]
    public async Task A_worker_counts_the_feature_store_bytes_and_cache_hits_of_the_runs_its_processes_train()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var port = Scrape.FreePort();
        await cluster.StartAsync("worker", "w1", 2, new Dictionary<string, string> { ["Orchestrator__Worker__Poll"] = "00:00:00.2" }, "--http-port", $"{port}");
        var before = await Scrape.ReadAsync(port);
        Assert.Equal(0, before.Sum("orchestrator_store_read_bytes_total"));

        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("read", fixture.Store, ["linear:T[width=16,max-epochs=2,patience=2]"], folds: [1, 3]));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(120));
        Assert.All(await cluster.Queue.RunsAsync(sweep.SweepId), r => Assert.Equal((RunStates.Succeeded, 1), (r.State, r.Attempts)));

        // Each run process loads the text stream of the whole store into memory once, then trains from memory.
        long loaded;
        using (var store = Models.Features.Store.FeatureStore.Open(fixture.Store.Directory))
            loaded = store.EstimateMemoryBytes([Models.Features.StreamKind.Text]);
        var after = await Scrape.ReadAsync(port);
        Assert.Equal(2 * loaded, after.Sum("orchestrator_store_read_bytes_total"));
        Assert.True(after.Sum("orchestrator_store_cache_hits_total") >= 2 * 5 * TinyStore.PerSession, "every utterance of both runs read from memory at least once");
        Assert.Equal(0, after.Sum("orchestrator_store_cache_misses_total"));
        Assert.All(after.Samples.Where(s => s.Name.StartsWith("orchestrator_store_", StringComparison.Ordinal)), s => Assert.Equal("w1", s.Labels["worker"]));
    }

    [Fact]
    public async Task Every_metric_of_deploy_metrics_txt_is_exported_by_a_coordinator_and_a_worker_running_a_sweep()
    {
        var catalog = MetricsFile.Load();
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var (coordinatorPort, workerPort) = (Scrape.FreePort(), Scrape.FreePort());
        var fastGauges = new Dictionary<string, string> { ["Orchestrator__Silo__MetricsInterval"] = "00:00:00.200" };
        await cluster.StartAsync("coordinator", "coordinator", 0, fastGauges, "--http-port", $"{coordinatorPort}");
        await cluster.StartAsync("worker", "w1", 1, TestCluster.Noop(TimeSpan.FromMilliseconds(700)), "--http-port", $"{workerPort}");

        // Runs one at a time, long enough for the coordinator's gauges to see the sweep with results and runs still queued.
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("exported", fixture.Store, ["linear:T"], folds: [1, 2, 3, 4, 5, 6, 7, 8]));
        var seen = new HashSet<string>();
        var coordinatorSaw = new HashSet<string>();
        while ((await cluster.Queue.GetSweepAsync(sweep.SweepId))?.State != SweepStates.Completed)
        {
            var coordinator = await Scrape.ReadAsync(coordinatorPort);
            coordinatorSaw.UnionWith(coordinator.Names);
            seen.UnionWith(coordinator.Names);
            seen.UnionWith((await Scrape.ReadAsync(workerPort)).Names);
            await Task.Delay(100);
        }
        seen.UnionWith((await Scrape.ReadAsync(workerPort)).Names);

        var missing = catalog.Where(m => !m.GpuOnly && !m.SeriesNames.All(seen.Contains)).Select(m => m.Name).ToList();
        Assert.True(missing.Count == 0, $"not exported: {string.Join(", ", missing)}");
        Assert.Contains("orchestrator_sweep_runs", coordinatorSaw);
        foreach (var gpu in catalog.Where(m => m.GpuOnly)) output.WriteLine($"{gpu.Name}: GPU nodes only, not checked here");
        // The other meters: .NET runtime, process, Orleans and Npgsql.
        foreach (var prefix in new[] { "dotnet_", "process_", "orleans_", "db_client_" })
            Assert.True(seen.Any(n => n.StartsWith(prefix, StringComparison.Ordinal)), $"no metric named {prefix}*");
    }

    [Fact]
    public async Task The_coordinator_counts_the_queued_runs_of_an_active_sweep_and_forgets_the_sweep_once_cancelled()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var port = Scrape.FreePort();
        await cluster.StartAsync("coordinator", "coordinator", 0, new Dictionary<string, string> { ["Orchestrator__Silo__MetricsInterval"] = "00:00:00.200" }, "--http-port", $"{port}");

        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("waiting", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2]));

        double Queued(Scrape s) => s.Samples.Where(x => x.Name == "orchestrator_sweep_runs" && x.Labels["state"] == "queued" && x.Labels["sweep"] == $"{sweep.SweepId}").Sum(x => x.Value);
        await cluster.WaitUntilAsync(async () => Queued(await Scrape.ReadAsync(port)) == 4, "the coordinator reports 4 queued runs", TimeSpan.FromSeconds(30));
        var info = (await Scrape.ReadAsync(port)).Samples.Single(x => x.Name == "orchestrator_sweep_info");
        Assert.Equal(($"{sweep.SweepId}", "waiting", "0", 1.0), (info.Labels["sweep"], info.Labels["name"], info.Labels["priority"], info.Value));

        await cluster.Queue.SetSweepStateAsync(sweep.SweepId, SweepStates.Cancelled);

        await cluster.WaitUntilAsync(async () => !(await Scrape.ReadAsync(port)).Names.Contains("orchestrator_sweep_runs"), "the cancelled sweep's gauges are gone", TimeSpan.FromSeconds(30));
    }
}
