using Orchestrator.Contracts.Sweeps;

namespace Orchestrator.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class WorkerRegistryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Lists_the_latest_report_of_each_worker_and_drops_one_silent_for_more_than_a_minute()
    {
        var registry = fixture.Grains.GetGrain<IWorkerRegistryGrain>(0);
        var clock = fixture.Clock;
        await registry.Report(new WorkerStatus("worker-b", 4, 0, clock.GetUtcNow()));
        await registry.Report(new WorkerStatus("worker-a", 2, 1, clock.GetUtcNow()));

        var listed = await registry.List();
        Assert.Equal(["worker-a", "worker-b"], listed.Select(w => w.Name));
        Assert.Equal((2, 1), (listed[0].Slots, listed[0].Running));
        Assert.Equal((4, 0), (listed[1].Slots, listed[1].Running));

        // 45 s later only worker-b has reported again: both are listed, worker-b as it reported last.
        clock.Advance(TimeSpan.FromSeconds(45));
        await registry.Report(new WorkerStatus("worker-b", 4, 3, clock.GetUtcNow()));
        listed = await registry.List();
        Assert.Equal(["worker-a", "worker-b"], listed.Select(w => w.Name));
        Assert.Equal(3, listed[1].Running);

        // 30 s more: worker-a has been silent for 75 s and is dropped; worker-b (30 s) stays.
        clock.Advance(TimeSpan.FromSeconds(30));
        listed = await registry.List();
        Assert.Equal(["worker-b"], listed.Select(w => w.Name));

        // A dropped worker that reports again is back.
        await registry.Report(new WorkerStatus("worker-a", 2, 0, clock.GetUtcNow()));
        Assert.Equal(["worker-a", "worker-b"], (await registry.List()).Select(w => w.Name));
    }
}
