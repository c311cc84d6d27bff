using System.Text.Json;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>The Orleans dashboard at /dashboard on a coordinator's HTTP port (<c>--http-port</c>), watched while a sweep runs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DashboardTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_serves_the_dashboard_whose_data_names_the_silos_and_the_sweep_grain_while_a_sweep_runs_and_a_worker_serves_none()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var (coordinatorPort, workerPort) = (Scrape.FreePort(), Scrape.FreePort());
        await cluster.StartAsync("coordinator", "coordinator", 0, null, "--http-port", $"{coordinatorPort}");
        // One slot, runs of a second: the sweep runs for about ten seconds.
        await cluster.StartAsync("worker", "w1", 1, TestCluster.Noop(TimeSpan.FromSeconds(1)), "--http-port", $"{workerPort}");

        // Submitted and watched as `orchestrator sweep run` does: the watch activates the sweep's grain.
        await using var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None);
        var submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(new SweepRequest("watched", fixture.Store.Directory, fixture.Store.Fingerprint,
            "{}", "name: watched\n", [1, 2, 3, 4, 5], Repeats: 2, Priority: 0, [new ConfigurationSpec("linear:T", "linear", "T")], []));
        Assert.NotEqual(SweepState.Completed, (await client.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus()).State);

        // The page: /dashboard redirects to /dashboard/, whose relative asset paths then resolve below it.
        using (var page = await Scrape.Http.GetAsync($"http://127.0.0.1:{coordinatorPort}/dashboard"))
        {
            Assert.Equal(200, (int)page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal("/dashboard/", page.RequestMessage?.RequestUri?.AbsolutePath);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(200, await Scrape.StatusAsync(coordinatorPort, "/dashboard/index.min.js"));

        // The data API (what the page polls): the two silos by name, and the sweep's grain, while the sweep runs.
        JsonElement counters = default;
        string[] Active() => counters.GetProperty("hosts").EnumerateArray()
            .Where(h => h.GetProperty("status").GetString() == "Active").Select(h => h.GetProperty("siloName").GetString()!).Order().ToArray();
        bool SweepGrainListed() => counters.GetProperty("simpleGrainStats").EnumerateArray()
            .Any(g => g.GetProperty("grainType").GetString()!.EndsWith("SweepGrain", StringComparison.Ordinal) && g.GetProperty("activationCount").GetInt32() > 0);
        await cluster.WaitUntilAsync(async () =>
        {
            using var response = await Scrape.Http.GetAsync($"http://127.0.0.1:{coordinatorPort}/dashboard/DashboardCounters");
            if ((int)response.StatusCode != 200) return false;
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            counters = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return Active().SequenceEqual(["coordinator", "w1"]) && SweepGrainListed();
        }, "the dashboard lists both silos and the sweep grain", TimeSpan.FromSeconds(30));
        var sweep = await cluster.Queue.GetSweepAsync(submitted.SweepId);
        Assert.NotEqual(SweepStates.Completed, sweep?.State);
        output.WriteLine($"DashboardCounters while the sweep ran: {counters.GetProperty("totalActivationCount")} activations on {string.Join(", ", Active())}");

        // Worker-only silos: no dashboard, health and metrics as before.
        Assert.Equal(404, await Scrape.StatusAsync(workerPort, "/dashboard/"));
        Assert.Equal(404, await Scrape.StatusAsync(workerPort, "/dashboard/DashboardCounters"));
        Assert.Equal(200, await Scrape.StatusAsync(workerPort, "/healthz"));
        Assert.Equal(200, await Scrape.StatusAsync(coordinatorPort, "/healthz"));
        Assert.Contains("orleans_", (await Scrape.ReadAsync(coordinatorPort)).Text);

        await cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(60));
    }
}
