using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>A sweep submitted again once it finished: every run is found finished, nothing runs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResubmissionTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_finished_sweep_submitted_again_runs_nothing()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        await cluster.Worker("worker", 4, TestCluster.Noop(TimeSpan.Zero))();
        var grid = Sweeps.Of("twice", fixture.Store, ["linear:T", "late:T+F"], folds: [1, 2, 3, 4, 5]);
        var first = await cluster.Queue.SubmitSweepAsync(grid);
        await cluster.WaitForCompletionAsync(first.SweepId, TimeSpan.FromSeconds(30));
        var before = await cluster.Queue.RunsAsync(first.SweepId);

        var second = await cluster.Queue.SubmitSweepAsync(grid);
        await Task.Delay(TimeSpan.FromSeconds(1));      // five polls of the worker

        Assert.Equal((10, 0, 10, 0), (second.RunsTotal, second.RunsNew, second.RunsAlreadyFinished, second.RunsRequeued));
        Assert.Equal(SweepStates.Completed, (await cluster.Queue.GetSweepAsync(second.SweepId))!.State);
        Assert.Equal(before, await cluster.Queue.RunsAsync(second.SweepId));
        Assert.Equal((10, 10), await cluster.ResultsAsync(second.SweepId));
    }
}
