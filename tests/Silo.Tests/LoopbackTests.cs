using System.Net;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>Nothing a silo serves is reachable from another machine unless an address is configured (docs/security.md).</summary>
[Collection(ClusterCollection.Name)]
public sealed class LoopbackTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_with_defaults_listens_on_loopback_only_silo_gateway_health_metrics_and_dashboard()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var port = Scrape.FreePort();
        var coordinator = await cluster.StartAsync("coordinator", "coordinator", 0, null, "--http-port", $"{port}");

        foreach (var path in new[] { "/healthz", "/metrics", "/dashboard" })
            Assert.True((await Scrape.Http.GetAsync($"http://127.0.0.1:{port}{path}")).IsSuccessStatusCode, path);

        // Orleans opens the gateway's listener as the silo turns Active, which can follow the host's start.
        var listening = ListeningSockets.Of(coordinator.Id);
        for (var i = 0; i < 100 && listening.Count < 3; i++, listening = ListeningSockets.Of(coordinator.Id)) await Task.Delay(100);
        // Silo port, gateway and the HTTP port (health, metrics, dashboard): three listeners, each on a loopback address.
        Assert.Contains(listening, e => e.Port == port);
        Assert.True(listening.Count >= 3, $"listening: {string.Join(", ", listening)}");
        Assert.All(listening, e => Assert.True(IPAddress.IsLoopback(e.Address), $"{e} is not a loopback address"));
        Assert.Equal("127.0.0.1", new Hosting.SiloOptions().HttpAddress);
        output.WriteLine($"coordinator listens on {string.Join(", ", listening)}");
    }
}
