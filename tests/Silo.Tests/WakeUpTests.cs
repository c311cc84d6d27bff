using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>Idle workers woken by the database's notice of new runs, not by their poll.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WakeUpTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_idle_worker_whose_poll_is_ten_minutes_away_runs_a_sweep_submitted_now()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        await cluster.Worker("worker", 4, TestCluster.Noop(TimeSpan.Zero, poll: TimeSpan.FromMinutes(10)))();
        // A first sweep, run to its end: after it the worker has found the queue empty and waits.
        var first = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("first", fixture.Store, ["linear:T"], folds: [1, 2, 3, 4, 5]));
        await cluster.WaitForCompletionAsync(first.SweepId, TimeSpan.FromSeconds(60));

        var second = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("second", fixture.Store, ["linear:F"], folds: [1, 2, 3, 4, 5]));

        // Far sooner than the poll: only the notice at the submission's commit can have woken it.
        await cluster.WaitForCompletionAsync(second.SweepId, TimeSpan.FromSeconds(60));
        Assert.Equal((5, 5), await cluster.ResultsAsync(second.SweepId));
    }
}
