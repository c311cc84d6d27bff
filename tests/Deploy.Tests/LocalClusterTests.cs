using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// deploy/local-cluster.sh for real: start a coordinator, a worker and Debian's prometheus on loopback,
/// see prometheus scrape both silos under deploy's job names, stop, and find every process gone.
/// </summary>
public sealed class LocalClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_brings_up_the_silos_and_a_prometheus_that_scrapes_them_and_stop_ends_every_process()
    {
        if (!File.Exists("/usr/bin/prometheus") || !File.Exists("/usr/lib/postgresql/15/bin/initdb") && !Directory.Exists("/usr/lib/postgresql"))
        {
            output.WriteLine("prometheus or PostgreSQL is not installed here (scripts/test-packages.txt): not run");
            return;
        }
        var work = Path.Combine(Path.GetTempPath(), $"orchestrator-local-cluster-test-{Guid.NewGuid():N}");
        var (http, prometheus) = (FreePort(), FreePort());
        var settings = new Dictionary<string, string> { ["WORKERS"] = "1", ["HTTP_PORT"] = $"{http}", ["PROMETHEUS_PORT"] = $"{prometheus}" };
        try
        {
            var started = await Script(settings, "start", work);
            Assert.True(started.ExitCode == 0, started.Output);
            var pids = File.ReadAllLines(Path.Combine(work, "pids")).Select(l => l.Split(' ')).ToDictionary(p => p[1], p => int.Parse(p[0]));
            Assert.Equal(["coordinator", "prometheus", "worker-1"], pids.Keys.Order());

            // deploy's scrape interval is 15 s: the first scrapes come within it.
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheus}") };
            var up = new Dictionary<string, string>();
            for (var deadline = DateTime.UtcNow.AddSeconds(45); DateTime.UtcNow < deadline && up.Count < 2; await Task.Delay(1000))
            {
                using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/query?query=up"));
                up = json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                    .Where(r => r.GetProperty("value")[1].GetString() == "1")
                    .ToDictionary(r => r.GetProperty("metric").GetProperty("job").GetString()!, r => r.GetProperty("metric").GetProperty("instance").GetString()!);
            }
            Assert.Equal($"127.0.0.1:{http}", up.GetValueOrDefault("orchestrator-coordinator"));
            Assert.Equal($"127.0.0.1:{http + 1}", up.GetValueOrDefault("orchestrator-worker"));

            var stopped = await Script(settings, "stop", work);

            Assert.True(stopped.ExitCode == 0, stopped.Output);
            Assert.All(pids, p => Assert.False(Alive(p.Value), $"{p.Key} (pid {p.Value}) still runs"));
        }
        finally
        {
            if (File.Exists(Path.Combine(work, "pids"))) await Script(settings, "stop", work);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<(int ExitCode, string Output)> Script(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo(Repo.PathOf("deploy", "local-cluster.sh")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in settings) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var (stdout, stderr) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));     // the first call may build the CLI
        return (process.ExitCode, await stdout + await stderr);
    }

    private static bool Alive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
