using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// One worker whose copy of the feature store has a truncated shard: its run processes (the real
/// <c>orchestrator train</c>) fail naming the shard, the worker stops leasing for a while, and the
/// healthy worker finishes every run, none of which spends its attempts on the broken worker.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class StoreFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // The run's own arguments follow $0 ("run"): --store S --configuration K --fold F --repeat R; the store is replaced by the broken copy.
    private const string OnBrokenCopy = """shift 2; exec dotnet "$CLI" train --json --threads 1 --store "$BROKEN" "$@" """;

    [Fact]
    public async Task A_truncated_shard_on_one_worker_fails_its_attempts_naming_the_shard_and_the_healthy_worker_finishes_every_run()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var broken = fixture.NewFolder("broken-store");
        Copy(new DirectoryInfo(fixture.Store.Directory), broken);
        var shard = Directory.GetFiles(Path.Combine(broken.FullName, "shards"), "*.safetensors").Order().First();
        using (var file = File.Open(shard, FileMode.Open)) file.SetLength(file.Length / 2);
        var results = fixture.NewFolder("store-results");
        ScriptedRuns.Prepare(results, fixture.Store, ["linear:T", "linear:F"], [1, 2, 3, 4]);
        var pause = TimeSpan.FromMinutes(2);
        await cluster.Worker("worker-broken", 2, new Dictionary<string, string>
        {
            ["Orchestrator__Worker__RunCommand__0"] = "/bin/sh",
            ["Orchestrator__Worker__RunCommand__1"] = "-c",
            ["Orchestrator__Worker__RunCommand__2"] = OnBrokenCopy,
            ["Orchestrator__Worker__RunCommand__3"] = "run",
            ["Orchestrator__Worker__Poll"] = "00:00:00.2",
            ["Orchestrator__Worker__FailurePause"] = $"{pause:c}",
            ["CLI"] = SiloProcess.Cli,
            ["BROKEN"] = broken.FullName,
        })();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("broken-store", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2, 3, 4], maxAttempts: 3));
        // Without the pause, the broken worker leases each run it failed again at once and fails it for good.
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Sum(r => r.Error is null ? 0 : r.Attempts) >= 3,
            "the broken worker fails three attempts", TimeSpan.FromSeconds(120));
        var healthyAt = await cluster.NowAsync();
        await cluster.Worker("worker-healthy", 2, ScriptedRuns.Worker(results))();
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(120));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(8);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        var failed = runs.Where(r => r.Error is not null).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r =>
        {
            Assert.Equal("worker-healthy", r.Worker);
            Assert.Contains(Path.GetFileName(shard), r.LogTail);      // the failure names the shard
        });
        Add(new Row("truncated feature-store shard on one worker", $"worker-broken's copy of the store cut to half a shard; its run processes are the real `orchestrator train`; a healthy worker joins after 3 failed attempts",
            8, ledger, $"{ledger.Attempts - 8} attempts of {failed.Count} runs failed on the broken worker (the log names {Path.GetFileName(shard)}), which then paused leasing ({pause.TotalSeconds:0} s here, 15 s by default); every run finished on the healthy worker, the sweep {S((completed - healthyAt).TotalSeconds)} after it joined"));
    }

    private static void Copy(DirectoryInfo from, DirectoryInfo to)
    {
        foreach (var file in from.GetFiles()) file.CopyTo(Path.Combine(to.FullName, file.Name));
        foreach (var folder in from.GetDirectories()) Copy(folder, to.CreateSubdirectory(folder.Name));
    }
}
