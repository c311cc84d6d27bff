namespace Orchestrator.Database.Tests.Queue;

/// <summary>The notices that wake idle workers when runs become leasable. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueSignalTests(PostgresFixture fixture)
{
    // Only a guard against a hang: a notice arrives within milliseconds of the commit.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_submission_a_failed_attempt_a_hand_back_and_a_resumed_sweep_each_wake_a_listener()
    {
        await using var database = await fixture.OpenDatabaseAsync();
        var queue = new RunQueue(database.DataSource);
        await using var signal = queue.Listen();
        await signal.Listening.WaitAsync(Guard);

        var submission = signal.Next;
        var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("wake", "store-a", ["linear:T", "linear:F"], folds: 2, maxAttempts: 3));
        await submission.WaitAsync(Guard);

        var runs = await queue.LeaseAsync("worker-1", 2, TimeSpan.FromMinutes(5));
        var failure = signal.Next;
        Assert.True(await queue.FailAttemptAsync(runs[0].RunId, "worker-1", "exit code 1", ""));
        await failure.WaitAsync(Guard);

        var handBack = signal.Next;
        Assert.Equal(1, await queue.ReleaseAsync("worker-1"));
        await handBack.WaitAsync(Guard);

        await queue.SetSweepStateAsync(sweep.SweepId, SweepStates.Paused);
        var resumption = signal.Next;
        await queue.SetSweepStateAsync(sweep.SweepId, SweepStates.Active);
        await resumption.WaitAsync(Guard);

        Assert.Equal(4, (await queue.LeaseAsync("worker-2", 4, TimeSpan.FromMinutes(5))).Count);
    }
}
