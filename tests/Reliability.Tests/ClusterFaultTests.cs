using System.Diagnostics;
using Dapper;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// Faults of the cluster as a whole: the coordinator killed, the client killed while it watches,
/// every silo killed and the cluster started again. Silos come back on the ports they had, as a
/// deployment with fixed ports does; the sweep completes, every run recorded exactly once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ClusterFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_of_the_coordinator_workers_go_on_and_a_restarted_coordinator_reports_the_sweep()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1), lease: TimeSpan.FromSeconds(10));
        var ports = Ports();
        var silos = await SiloProcess.StartAllAsync(() => Coordinator(cluster, ports), cluster.Worker("worker-a", 2, settings), cluster.Worker("worker-b", 2, settings));
        var sweepId = await SubmitAsync(cluster, "kill-coordinator");
        await WaitForSucceededAsync(cluster, sweepId, 4);

        await silos[0].KillAsync();
        var killedAt = await cluster.NowAsync();
        var watch = Stopwatch.StartNew();
        await Coordinator(cluster, ports);
        var started = watch.Elapsed.TotalSeconds;
        var status = await StatusAsync(cluster, sweepId, TimeSpan.FromSeconds(90));
        var answered = watch.Elapsed.TotalSeconds;
        var duringOutage = await FinishedBetweenAsync(cluster, sweepId, killedAt, killedAt.AddSeconds(answered));
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromSeconds(90));

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweepId);
        ledger.AssertExactlyOnce(20);
        Assert.Equal(20, ledger.Attempts);
        status = await StatusAsync(cluster, sweepId, TimeSpan.FromSeconds(30));
        Assert.Equal((SweepState.Completed, 20), (status.State, status.Configurations.Sum(c => c.Succeeded)));
        Add(new Row("kill -9 of the coordinator", "coordinator (sweep grains, client gateway) mid-sweep, 2 workers alive; restarted at once on its ports",
            20, ledger, $"new coordinator up {S(started)} after the kill, sweep status answered {S(answered)} after it; {duringOutage} runs finished meanwhile (workers need no coordinator)"));
        Assert.All(silos.Skip(1), s => Assert.False(s.HasExited));
    }

    [Fact]
    public async Task Kill_9_of_the_client_while_it_watches_leaves_the_sweep_running_and_a_new_client_finds_it()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1));
        await SiloProcess.StartAllAsync(cluster.Coordinator(), cluster.Worker("worker", 4, settings));
        var grid = Path.Combine(fixture.NewFolder("grid").FullName, "grid.yaml");
        File.WriteAllText(grid, $"""
            name: kill-client
            store: {fixture.Store.Directory}
            folds: [1, 2, 3, 4, 5]
            repeats: 2
            configurations:
              - {"{"}model: linear, streams: [T, F]{"}"}
            """);
        // Killed when the test ends whatever happens: a client left watching would wait for silos that are gone.
        Process? client = null, again = null;
        long sweepId = 0;
        double answered;
        DateTime killedAt;
        try
        {
            client = Cli(cluster, "sweep", "submit", grid, "--watch");
            // Drained, so that a full pipe never blocks the watch.
            client.OutputDataReceived += (_, _) => { };
            client.ErrorDataReceived += (_, _) => { };
            client.BeginOutputReadLine();
            client.BeginErrorReadLine();
            await cluster.WaitUntilAsync(async () =>
            {
                await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
                sweepId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM sweeps WHERE name = 'kill-client'") ?? 0;
                return sweepId != 0 && (await cluster.Queue.RunsAsync(sweepId)).Count(r => r.State == RunStates.Succeeded) >= 4;
            }, "the client's sweep runs", TimeSpan.FromSeconds(90));
            Assert.False(client.HasExited, "the client stopped watching before the kill");

            client.Kill();
            await client.WaitForExitAsync();
            killedAt = await cluster.NowAsync();
            var watch = Stopwatch.StartNew();
            again = Cli(cluster, "sweep", "status", $"{sweepId}");
            var printed = again.StandardOutput.ReadToEndAsync();
            var errors = again.StandardError.ReadToEndAsync();
            await again.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            answered = watch.Elapsed.TotalSeconds;
            Assert.True(again.ExitCode == 0, await errors);
            Assert.Contains("linear:T", await printed);
        }
        finally
        {
            foreach (var process in new[] { client, again })
            {
                if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
                process?.Dispose();
            }
        }
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromSeconds(90));
        var completed = (await cluster.Queue.GetSweepAsync(sweepId))!.FinishedAt!.Value;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweepId);
        ledger.AssertExactlyOnce(20);
        Assert.Equal(20, ledger.Attempts);
        Add(new Row("kill -9 of the client while it watches", "`orchestrator sweep submit --watch` mid-sweep",
            20, ledger, $"nothing to recover: the sweep went on (completed {S((completed - killedAt).TotalSeconds)} after the kill); a new `sweep status` process answered in {S(answered)}"));
    }

    [Fact]
    public async Task Kill_9_of_every_silo_and_a_restart_resume_the_sweep_and_rerun_no_finished_run()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var lease = TimeSpan.FromSeconds(4);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1.5), lease);
        var (coordinator, a, b) = (Ports(), $"{FreePort.Next()}", $"{FreePort.Next()}");
        Task<SiloProcess>[] Start() =>
        [
            Coordinator(cluster, coordinator),
            cluster.StartAsync("worker", "worker-a", 2, settings, "--silo-port", a),
            cluster.StartAsync("worker", "worker-b", 2, settings, "--silo-port", b),
        ];
        var silos = await Task.WhenAll(Start());
        var sweepId = await SubmitAsync(cluster, "kill-everything");
        await WaitForSucceededAsync(cluster, sweepId, 6);

        await Task.WhenAll(silos.Select(s => s.KillAsync()));
        var before = (await cluster.Queue.RunsAsync(sweepId)).ToDictionary(r => r.Id);
        var finished = before.Values.Where(r => r.State == RunStates.Succeeded).Select(r => r.Id).ToHashSet();
        var restartedAt = await cluster.NowAsync();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Start());
        var started = watch.Elapsed.TotalSeconds;
        await cluster.WaitForCompletionAsync(sweepId, TimeSpan.FromSeconds(120));
        var completed = (await cluster.Queue.GetSweepAsync(sweepId))!.FinishedAt!.Value;
        var status = await StatusAsync(cluster, sweepId, TimeSpan.FromSeconds(60));

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweepId);
        ledger.AssertExactlyOnce(20);
        Assert.Equal((SweepState.Completed, 20), (status.State, status.Configurations.Sum(c => c.Succeeded)));
        var after = await cluster.Queue.RunsAsync(sweepId);
        // Finished runs are not run again: the same attempt, start and end as before the kill.
        Assert.All(after.Where(r => finished.Contains(r.Id)), r => Assert.Equal((before[r.Id].Attempts, before[r.Id].StartedAt, before[r.Id].FinishedAt), (r.Attempts, r.StartedAt, r.FinishedAt)));
        var resumed = after.Where(r => !finished.Contains(r.Id)).Min(r => (r.StartedAt!.Value - restartedAt).TotalSeconds);
        Add(new Row("whole cluster killed (kill -9 of every silo) and restarted", $"coordinator and 2 workers mid-sweep ({finished.Count} of 20 runs finished), restarted on their ports; lease {lease.TotalSeconds:0} s",
            20, ledger, $"silos up {S(started)} after the restart began, first run resumed {S(resumed)} after it, sweep completed {S((completed - restartedAt).TotalSeconds)} after it; no finished run rerun"));
    }

    /// <summary>A coordinator on the given silo and gateway ports.</summary>
    private static Task<SiloProcess> Coordinator(TestCluster cluster, string[] ports) => cluster.StartAsync("coordinator", "coordinator", 0, null, ports);

    private static string[] Ports() => ["--silo-port", $"{FreePort.Next()}", "--gateway-port", $"{FreePort.Next()}"];

    /// <summary>20 runs (2 configurations x 5 folds x 2 repeats) submitted through the coordinator, as the CLI does.</summary>
    private async Task<long> SubmitAsync(TestCluster cluster, string name)
    {
        await using var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None);
        var submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(new SweepRequest(name, fixture.Store.Directory, fixture.Store.Fingerprint, "{}", $"name: {name}\n",
            [1, 2, 3, 4, 5], Repeats: 2, Priority: 0, [new ConfigurationSpec("linear:T", "linear", "T"), new ConfigurationSpec("linear:F", "linear", "F")], []));
        Assert.Equal(20, submitted.Queued);
        return submitted.SweepId;
    }

    private static Task WaitForSucceededAsync(TestCluster cluster, long sweepId, int count) =>
        cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweepId)) is var r && r.Count(x => x.State == RunStates.Succeeded) >= count && r.Any(x => x.State == RunStates.Running),
            $"{count} runs finished and others run", TimeSpan.FromSeconds(60));

    /// <summary>The sweep's status from a new client, retried until a coordinator answers.</summary>
    private static async Task<SweepStatus> StatusAsync(TestCluster cluster, long sweepId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await using var client = await ClusterConnection.OpenAsync(cluster.Database, 0, attempt.Token);
                return await client.Grains.GetGrain<ISweepGrain>(sweepId).GetStatus().WaitAsync(attempt.Token);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task<int> FinishedBetweenAsync(TestCluster cluster, long sweepId, DateTime from, DateTime to) =>
        (await cluster.Queue.RunsAsync(sweepId)).Count(r => r.FinishedAt > from && r.FinishedAt <= to);

    /// <summary>The CLI as a user runs it against the cluster (the database from the environment, as the README advises).</summary>
    private static Process Cli(TestCluster cluster, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments.Prepend(SiloProcess.Cli)) start.ArgumentList.Add(argument);
        start.Environment["ORCHESTRATOR_DATABASE"] = cluster.Database;
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }
}
