using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>A worker silo killed with SIGKILL in the middle of a sweep: its leases run out and the other worker finishes its runs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkerKillTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_mid_sweep_loses_no_run_its_runs_finish_once_on_the_other_worker_after_their_leases_expire()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        // Runs outlast the lease: only heartbeats keep them leased to their worker.
        var lease = TimeSpan.FromSeconds(4);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(6), lease);
        var doomed = await cluster.Worker("worker-a", 2, settings)();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("kill", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2, 3, 4], repeats: 1));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Count(r => r.Worker == "worker-a" && r.State == RunStates.Running) == 2,
            "worker-a runs two runs", TimeSpan.FromSeconds(30));
        // The survivor has slots to spare, so the dead worker's runs wait for their leases only.
        var survivor = await cluster.Worker("worker-b", 8, settings)();
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Any(r => r.Worker == "worker-b" && r.State == RunStates.Running),
            "worker-b runs", TimeSpan.FromSeconds(30));

        await doomed.KillAsync();
        var killedAt = await cluster.NowAsync();
        // Frozen now that their worker is dead: when each lease runs out.
        var expiries = (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => r.Worker == "worker-a" && r.State is RunStates.Leased or RunStates.Running)
            .ToDictionary(r => r.Id, r => r.LeaseExpiresAt!.Value);
        var orphans = expiries.Keys.ToHashSet();
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(60));

        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        Assert.True(orphans.Count > 0, "worker-a held no run when it was killed: the test killed it too late.");
        Assert.Equal(8, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStates.Succeeded, (DateTime?)null), (r.State, r.LeaseExpiresAt)));
        Assert.Equal((8, 8), await cluster.ResultsAsync(sweep.SweepId));
        Assert.All(runs.Where(r => orphans.Contains(r.Id)), r => Assert.Equal(("worker-b", 2), (r.Worker, r.Attempts)));
        // worker-b's runs took longer than a lease: its heartbeats kept them, nobody took them over.
        Assert.All(runs.Where(r => !orphans.Contains(r.Id)), r => Assert.Equal(1, r.Attempts));
        var restarted = runs.Where(r => orphans.Contains(r.Id)).ToDictionary(r => r.Id, r => r.StartedAt!.Value);
        output.WriteLine($"kill -9 of worker-a with {orphans.Count} run(s) in flight, lease {lease.TotalSeconds:0} s (heartbeat every {lease.TotalSeconds / 3:0.0} s): its runs restarted on worker-b " +
                         string.Join(", ", orphans.Select(id => $"{(restarted[id] - killedAt).TotalSeconds:0.00} s after the kill ({(restarted[id] - expiries[id]).TotalSeconds:0.00} s after its lease ran out)")));
        // Taken over once the dead worker's lease ran out, not before (it might still have been training), and soon after.
        Assert.All(orphans, id => Assert.InRange((restarted[id] - expiries[id]).TotalSeconds, 0, 3));
        Assert.All(orphans, id => Assert.InRange((restarted[id] - killedAt).TotalSeconds, 0, lease.TotalSeconds + 3));
        Assert.False(survivor.HasExited);
    }
}
