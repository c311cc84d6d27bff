using System.Diagnostics;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>Every silo stopped with SIGTERM in the middle of a sweep, then started again.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulStopTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Stopping_every_silo_hands_the_runs_back_at_once_and_starting_them_again_resumes_the_sweep()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        // Leases of a minute: a run not handed back would wait that long for another worker.
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1.5), lease: TimeSpan.FromMinutes(1));
        var silos = await SiloProcess.StartAllAsync(cluster.Coordinator(), cluster.Worker("worker-a", 2, settings), cluster.Worker("worker-b", 2, settings));
        SweepSubmitted submitted;
        await using (var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None))
            submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(Request(fixture.Store));
        Assert.Equal((20, 20, 0), (submitted.Runs, submitted.Queued, submitted.AlreadyFinished));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(submitted.SweepId)) is var r
                                                 && r.Count(x => x.State == RunStates.Succeeded) >= 4 && r.Any(x => x.State == RunStates.Running),
            "four runs finished and others run", TimeSpan.FromSeconds(60));

        var stopping = Stopwatch.StartNew();
        foreach (var silo in silos) silo.Terminate();
        var exitCodes = await Task.WhenAll(silos.Select(s => s.WaitForExitAsync(TimeSpan.FromSeconds(45))));
        var stopSeconds = stopping.Elapsed.TotalSeconds;
        var afterStop = await cluster.Queue.RunsAsync(submitted.SweepId);

        // A graceful stop runs to its end: cut short, a silo leaves its membership row Active and a restarted
        // cluster waits for it to be declared dead (minutes) before it joins.
        Assert.True(exitCodes.All(c => c == 0), $"Not every silo completed its graceful stop: exit codes {string.Join(", ", silos.Zip(exitCodes, (s, c) => $"{s.Name} {c}"))} " +
            $"after {stopSeconds:0.00} s (143: System.CommandLine ended the process when its ProcessTerminationTimeout, 2 s by default, ran out before the host had stopped).");
        var finished = afterStop.Count(r => r.State == RunStates.Succeeded);
        Assert.InRange(finished, 4, 19);
        Assert.DoesNotContain(afterStop, r => r.State is RunStates.Leased or RunStates.Running);
        // Handed back, not left to expire: queued with no lease, the attempt given back.
        Assert.All(afterStop.Where(r => r.State != RunStates.Succeeded), r => Assert.Equal((RunStates.Queued, 0, (DateTime?)null), (r.State, r.Attempts, r.LeaseExpiresAt)));
        var handedBack = afterStop.Where(r => r.State == RunStates.Queued && r.Worker is not null).Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(handedBack);

        var restarting = Stopwatch.StartNew();
        var restartedAt = await cluster.NowAsync();
        await SiloProcess.StartAllAsync(cluster.Coordinator(), cluster.Worker("worker-a", 2, settings), cluster.Worker("worker-b", 2, settings));
        var startSeconds = restarting.Elapsed.TotalSeconds;
        await cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(60));
        var resumeSeconds = restarting.Elapsed.TotalSeconds;

        var runs = await cluster.Queue.RunsAsync(submitted.SweepId);
        Assert.All(runs, r => Assert.Equal((RunStates.Succeeded, 1), (r.State, r.Attempts)));
        Assert.Equal((20, 20), await cluster.ResultsAsync(submitted.SweepId));
        var resumed = runs.Where(r => handedBack.Contains(r.Id)).Select(r => (r.StartedAt!.Value - restartedAt).TotalSeconds).Min();
        // Well within the minute the handed-back leases would have lasted.
        Assert.InRange(resumed, 0, 30);
        await using (var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None))
        {
            var status = await client.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus();
            Assert.Equal((SweepState.Completed, 20), (status.State, status.Configurations.Sum(c => c.Succeeded)));
        }
        output.WriteLine($"SIGTERM of 3 silos with {handedBack.Count} run(s) in flight, {finished} of 20 finished: all exited (exit codes {string.Join(", ", silos.Zip(exitCodes, (s, c) => $"{s.Name} {c}"))}) in {stopSeconds:0.00} s, runs handed back with no lease left");
        output.WriteLine($"restart: silos up in {startSeconds:0.00} s, first handed-back run restarted {resumed:0.00} s after the restart began, sweep completed {resumeSeconds:0.00} s after it");
    }

    private static SweepRequest Request(TinyStore store) =>
        new("stop-and-resume", store.Directory, store.Fingerprint, "{}", "name: stop-and-resume\n", [1, 2, 3, 4, 5], Repeats: 2, Priority: 0,
            [new ConfigurationSpec("linear:T", "linear", "T"), new ConfigurationSpec("linear:F", "linear", "F")], []);
}
