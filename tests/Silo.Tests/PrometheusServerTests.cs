using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>A real Prometheus server (Debian's package, scripts/test-packages.txt) scraping a worker silo on loopback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PrometheusServerTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Prometheus_scraping_a_worker_sees_its_succeeded_runs_counter_move_with_a_sweep()
    {
        var prometheus = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists);
        if (prometheus is null)
        {
            output.WriteLine("prometheus is not installed here (scripts/test-packages.txt installs it): not run");
            return;
        }
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var workerPort = Scrape.FreePort();
        await cluster.StartAsync("worker", "w1", 2, TestCluster.Noop(TimeSpan.Zero), "--http-port", $"{workerPort}");
        var folder = fixture.NewFolder("prometheus");
        File.WriteAllText(Path.Combine(folder.FullName, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: orchestrator-worker
                static_configs:
                  - targets: ["127.0.0.1:{workerPort}"]
            """);
        var apiPort = Scrape.FreePort();
        using var server = StartPrometheus(prometheus, folder.FullName, apiPort);
        try
        {
            await cluster.WaitUntilAsync(async () => await QueryAsync(apiPort, "sum(orchestrator_runs_succeeded_total)") == 0 || await QueryAsync(apiPort, "up") == 1,
                "Prometheus scrapes the worker", TimeSpan.FromSeconds(60));

            var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("scraped", fixture.Store, ["linear:T"], folds: [1, 2, 3, 4, 5]));
            await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(60));

            await cluster.WaitUntilAsync(async () => await QueryAsync(apiPort, "sum(orchestrator_runs_succeeded_total)") == 5,
                "Prometheus reads 5 succeeded runs", TimeSpan.FromSeconds(60));
            Assert.Equal(2, await QueryAsync(apiPort, "sum(orchestrator_worker_slots{worker=\"w1\"})"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static Process StartPrometheus(string prometheus, string folder, int port)
    {
        var start = new ProcessStartInfo(prometheus) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in new[] { $"--config.file={folder}/prometheus.yml", $"--storage.tsdb.path={folder}/data", $"--web.listen-address=127.0.0.1:{port}" })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {prometheus}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The value of an instant query's single sample, or null while there is none (or the server is not up yet).</summary>
    private static async Task<double?> QueryAsync(int port, string query)
    {
        try
        {
            using var document = JsonDocument.Parse(await Scrape.Http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/query?query={Uri.EscapeDataString(query)}"));
            var result = document.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
