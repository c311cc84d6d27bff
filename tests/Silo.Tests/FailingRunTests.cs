using System.Text.Json;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Workers;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// Run processes that crash, through the real process executor: a shell script stands in for
/// <c>orchestrator train</c>, printing a prepared result for good runs and dying for the others.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailingRunTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // $4 configuration, $6 fold, $8 repeat (after $0 "run", --store S --configuration K --fold F --repeat R).
    private const string Script = """
        file="$RESULTS/$(printf '%s_%s_%s' "$4" "$6" "$8" | tr ':' '-')"
        echo '{"epoch":1}' >&2
        case "$4" in
          linear:F) echo "crash in $4 fold $6 repeat $8" >&2; exit 3 ;;
          linear:W) if [ ! -e "$file.tried" ]; then : > "$file.tried"; echo "first attempt of $4 fold $6 is killed" >&2; kill -9 $$; fi ;;
        esac
        cat "$file.json"
        """;

    [Fact]
    public async Task A_crashing_run_process_fails_its_attempt_only_is_retried_up_to_the_limit_and_the_worker_keeps_serving()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var results = fixture.NewFolder("results");
        var keys = new[] { "linear:T", "linear:F", "linear:W", "linear:P" };
        foreach (var key in keys)
            foreach (var fold in new[] { 1, 2 })
            {
                var result = NoopRunExecutor.Result(new LeasedRun(0, fixture.Store.Fingerprint, fixture.Store.Directory, key, "linear", key[7..], "{}", fold, 1, 1));
                File.WriteAllText(Path.Combine(results.FullName, $"{key.Replace(':', '-')}_{fold}_1.json"), JsonSerializer.Serialize(result, TrainingJsonContext.Default.RunResult));
            }
        var worker = await cluster.Worker("worker", 2, new Dictionary<string, string>
        {
            ["Orchestrator__Worker__RunCommand__0"] = "/bin/sh",
            ["Orchestrator__Worker__RunCommand__1"] = "-c",
            ["Orchestrator__Worker__RunCommand__2"] = Script,
            ["Orchestrator__Worker__RunCommand__3"] = "run",
            ["Orchestrator__Worker__Poll"] = "00:00:00.2",
            ["Orchestrator__Worker__LogTailLines"] = "5",
            // The lone worker retries what it failed at once: this test counts attempts, not the pause that spares runs from a broken worker (tests/Reliability.Tests).
            ["Orchestrator__Worker__FailurePause"] = "00:00:00",
            ["RESULTS"] = results.FullName,
        })();

        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("crashes", fixture.Store, ["linear:T", "linear:F", "linear:W"], folds: [1, 2], maxAttempts: 3));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(60));

        var runs = (await cluster.Queue.RunsAsync(sweep.SweepId)).ToLookup(r => r.ConfigurationKey);
        Assert.All(runs["linear:T"], r => Assert.Equal((RunStates.Succeeded, 1), (r.State, r.Attempts)));
        // Killed on its first attempt only: the second one succeeds.
        Assert.All(runs["linear:W"], r => Assert.Equal((RunStates.Succeeded, 2, "the run process exited with code 137"), (r.State, r.Attempts, r.Error)));
        Assert.All(runs["linear:F"], r =>
        {
            Assert.Equal((RunStates.Failed, 3, "the run process exited with code 3"), (r.State, r.Attempts, r.Error));
            Assert.Equal($"{{\"epoch\":1}}\ncrash in linear:F fold {r.Fold} repeat 1", r.LogTail);
            Assert.Null(r.LeaseExpiresAt);
        });
        Assert.Equal((4, 4), await cluster.ResultsAsync(sweep.SweepId));

        var next = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("after-the-crashes", fixture.Store, ["linear:P"], folds: [1, 2]));
        await cluster.WaitForCompletionAsync(next.SweepId, TimeSpan.FromSeconds(30));
        Assert.All(await cluster.Queue.RunsAsync(next.SweepId), r => Assert.Equal((RunStates.Succeeded, 1), (r.State, r.Attempts)));
        Assert.False(worker.HasExited);
    }
}
