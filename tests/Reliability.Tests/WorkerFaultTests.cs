using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// Faults of one worker or one run: a worker silo killed with SIGKILL or stopped with SIGTERM, a run
/// process killed, a run that hangs. The sweep completes, every run recorded exactly once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class WorkerFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Keys = ["linear:T", "linear:F", "linear:P"];

    [Fact]
    public async Task Kill_9_of_a_worker_silo_mid_run_its_runs_finish_on_the_other_worker_once_their_leases_run_out()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var lease = TimeSpan.FromSeconds(4);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(3), lease);
        var doomed = await cluster.Worker("worker-a", 2, settings)();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("kill-worker", fixture.Store, Keys, folds: [1, 2, 3, 4]));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Count(r => r.Worker == "worker-a" && r.State == RunStates.Running) == 2,
            "worker-a runs two runs", TimeSpan.FromSeconds(30));
        await cluster.Worker("worker-b", 4, settings)();

        await doomed.KillAsync();
        var killedAt = await cluster.NowAsync();
        var orphans = (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => r.Worker == "worker-a" && r.State is RunStates.Leased or RunStates.Running).Select(r => r.Id).ToHashSet();
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(90));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(12);
        Assert.NotEmpty(orphans);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        Assert.All(runs.Where(r => orphans.Contains(r.Id)), r => Assert.Equal(("worker-b", 2), (r.Worker, r.Attempts)));
        var restarted = runs.Where(r => orphans.Contains(r.Id)).Max(r => (r.StartedAt!.Value - killedAt).TotalSeconds);
        Add(new Row("kill -9 of a worker silo", $"worker-a (2 slots) with {orphans.Count} runs in flight, worker-b (4 slots) alive; no-op runs of 3 s, lease {lease.TotalSeconds:0} s",
            12, ledger, $"its runs restarted on worker-b {S(restarted)} after the kill; sweep completed {S((completed - killedAt).TotalSeconds)} after it"));
        // Not before the lease ran out (the worker might have been alive), and soon after.
        Assert.InRange(restarted, lease.TotalSeconds - 1.5, lease.TotalSeconds + 4);
    }

    [Fact]
    public async Task A_worker_started_while_a_killed_silo_is_still_listed_active_leases_before_its_silo_has_joined()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1), lease: TimeSpan.FromSeconds(4));
        // Killed at once, and nobody alive to vote it dead: the membership table lists it as active, and Orleans
        // holds a joining silo until it answers (minutes). Leasing needs only PostgreSQL, so it must not wait.
        var dead = await cluster.Worker("worker-dead", 1, settings)();
        await dead.KillAsync();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("before-join", fixture.Store, ["linear:T"], folds: [1, 2, 3, 4]));
        var database = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database).Database!;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var starting = cluster.Worker("worker-new", 2, settings)();
        try
        {
            await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Any(r => r.Worker == "worker-new" && r.State == RunStates.Succeeded),
                "the new worker finishes a run", TimeSpan.FromSeconds(60));
            output.WriteLine($"first run of the new worker finished {watch.Elapsed.TotalSeconds:0.00} s after its start; its silo joined: {starting.IsCompletedSuccessfully}");
            Assert.False(starting.IsCompleted, "the silo joined before its worker leased: the test shows nothing");
        }
        finally
        {
            // Not tracked by the cluster until it has started: killed here, then its start fails at once.
            foreach (var pid in Processes.Matching(SiloProcess.Cli, database, "--role worker")) Processes.Kill(pid);
            try { await (await starting).DisposeAsync(); } catch (Exception) { }
        }
    }

    [Fact]
    public async Task Kill_9_of_a_run_process_fails_that_attempt_only_and_the_run_is_retried_at_once()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var results = fixture.NewFolder("kill-run");
        ScriptedRuns.Prepare(results, fixture.Store, ["linear:T", "linear:F"], [1, 2, 3, 4]);
        var worker = await cluster.Worker("worker", 2, ScriptedRuns.Worker(results))();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("kill-run", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2, 3, 4]));
        (int Pid, string[] Arguments) victim = default;
        await cluster.WaitUntilAsync(() => Task.FromResult((victim = Processes.Children(worker.Id).FirstOrDefault(c => c.Arguments.Contains("--configuration"))).Pid != 0),
            "the worker runs a run process", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));      // mid-run: an epoch or so in

        Processes.Kill(victim.Pid);
        var killedAt = await cluster.NowAsync();
        var arguments = victim.Arguments!;
        var (key, fold) = (arguments[Array.IndexOf(arguments, "--configuration") + 1], int.Parse(arguments[Array.IndexOf(arguments, "--fold") + 1]));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(90));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(8);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        var killed = runs.Single(r => r.ConfigurationKey == key && r.Fold == fold);
        Assert.Equal((2, "the run process exited with code 137"), (killed.Attempts, killed.Error));
        Assert.All(runs.Where(r => r.Id != killed.Id), r => Assert.Equal(1, r.Attempts));
        var restarted = (killed.StartedAt!.Value - killedAt).TotalSeconds;
        Add(new Row("kill -9 of a run process", $"one of 2 run processes of a worker, mid-run (runs of 3 epochs of 1 s, a script standing in for `orchestrator train`)",
            8, ledger, $"run failed its attempt and restarted {S(restarted)} after the kill; sweep completed {S((completed - killedAt).TotalSeconds)} after it"));
        Assert.InRange(restarted, 0, 5);
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task A_run_that_hangs_without_progress_is_killed_after_the_progress_timeout_and_retried()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var results = fixture.NewFolder("hang");
        ScriptedRuns.Prepare(results, fixture.Store, ["linear:T", "linear:W"], [1, 2]);
        var timeout = TimeSpan.FromSeconds(3);
        var worker = await cluster.Worker("worker", 4, ScriptedRuns.Worker(results, timeout))();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("hang", fixture.Store, ["linear:T", "linear:W"], folds: [1, 2]));
        var hung = new Dictionary<long, DateTime>();
        await cluster.WaitUntilAsync(async () =>
        {
            foreach (var r in (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => r.ConfigurationKey == "linear:W" && r.State == RunStates.Running && r.Attempts == 1))
                hung[r.Id] = r.StartedAt!.Value;
            return hung.Count == 2;
        }, "both linear:W runs hang", TimeSpan.FromSeconds(30));

        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(90));

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(4);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        Assert.All(runs.Where(r => hung.ContainsKey(r.Id)), r =>
        {
            Assert.Equal(2, r.Attempts);
            Assert.StartsWith("no progress for 3 s", r.Error);
        });
        Assert.All(runs.Where(r => !hung.ContainsKey(r.Id)), r => Assert.Equal(1, r.Attempts));
        // The hung processes were killed with the attempt, not left behind.
        Assert.Empty(Processes.Running(ScriptedRuns.HangingCommand));
        var restarted = runs.Where(r => hung.ContainsKey(r.Id)).Select(r => (r.StartedAt!.Value - hung[r.Id]).TotalSeconds).ToList();
        Add(new Row("a run hangs (no epoch, process alive)", $"2 of 4 run processes stop after their first epoch (`sleep 600`); progress timeout {timeout.TotalSeconds:0} s",
            4, ledger, $"killed and restarted {string.Join(", ", restarted.Select(S))} after their attempt started"));
        Assert.All(restarted, s => Assert.InRange(s, timeout.TotalSeconds, timeout.TotalSeconds + 5));
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task A_worker_stopped_gracefully_hands_its_runs_back_at_once_and_the_other_worker_takes_them()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        // Leases of a minute: a run not handed back would wait that long. Runs of 15 s: still running when
        // worker-a is stopped, after worker-b's start (runs done but not yet recorded are recorded, not handed back).
        var lease = TimeSpan.FromMinutes(1);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(15), lease);
        var leaving = await cluster.Worker("worker-a", 2, settings)();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("graceful", fixture.Store, Keys, folds: [1, 2, 3, 4]));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Count(r => r.Worker == "worker-a" && r.State == RunStates.Running) == 2,
            "worker-a runs two runs", TimeSpan.FromSeconds(30));
        // Room for every run: the handed-back ones wait for nothing but the hand-back.
        await cluster.Worker("worker-b", 12, settings)();
        var inFlight = (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => r.Worker == "worker-a" && r.State == RunStates.Running).Select(r => r.Id).ToHashSet();

        var stoppedAt = await cluster.NowAsync();
        leaving.Terminate();
        Assert.Equal(0, await leaving.WaitForExitAsync(TimeSpan.FromSeconds(45)));
        var exited = (await cluster.NowAsync() - stoppedAt).TotalSeconds;
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(90));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(12);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        // Handed back (the attempt given back), not taken over after a lease ran out.
        Assert.All(runs.Where(r => inFlight.Contains(r.Id)), r => Assert.Equal(("worker-b", 1), (r.Worker, r.Attempts)));
        var restarted = runs.Where(r => inFlight.Contains(r.Id)).Max(r => (r.StartedAt!.Value - stoppedAt).TotalSeconds);
        Add(new Row("worker stopped gracefully (SIGTERM)", $"worker-a (2 slots) with {inFlight.Count} runs in flight, worker-b alive; no-op runs of 15 s, lease {lease.TotalSeconds:0} s",
            12, ledger, $"worker exited {S(exited)} after SIGTERM; its runs restarted on worker-b {S(restarted)} after it (lease: 60 s); sweep completed {S((completed - stoppedAt).TotalSeconds)} after it"));
        Assert.InRange(restarted, 0, 10);
    }
}
