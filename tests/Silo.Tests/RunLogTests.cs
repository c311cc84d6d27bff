using System.Text.Json;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Workers;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// Every attempt's output kept (<c>run_logs</c>), bounded, whatever the attempt's end: a shell script stands
/// in for <c>orchestrator train</c>, as in <see cref="FailingRunTests"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RunLogTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // $4 configuration, $6 fold. linear:W prints 300 numbered lines and is killed on its first attempt, then succeeds.
    private const string Script = """
        file="$RESULTS/$(printf '%s_%s_%s' "$4" "$6" "$8" | tr ':' '-')"
        echo '{"epoch":1}' >&2
        if [ "$4" = linear:W ]; then
          if [ ! -e "$file.tried" ]; then
            : > "$file.tried"
            i=1; while [ $i -le 300 ]; do echo "first attempt line $i of 300, padded to sixty characters....." >&2; i=$((i+1)); done
            kill -9 $$
          fi
          echo "second attempt of $4 fold $6" >&2
        fi
        cat "$file.json"
        """;

    [Fact]
    public async Task Each_attempt_keeps_the_end_of_what_it_printed_within_the_bound_failed_and_succeeded_alike()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var results = fixture.NewFolder("results");
        foreach (var key in new[] { "linear:T", "linear:W" })
        {
            var result = NoopRunExecutor.Result(new LeasedRun(0, fixture.Store.Fingerprint, fixture.Store.Directory, key, "linear", key[7..], "{}", 1, 1, 1));
            File.WriteAllText(Path.Combine(results.FullName, $"{key.Replace(':', '-')}_1_1.json"), JsonSerializer.Serialize(result, TrainingJsonContext.Default.RunResult));
        }
        await cluster.Worker("worker", 2, new Dictionary<string, string>
        {
            ["Orchestrator__Worker__RunCommand__0"] = "/bin/sh",
            ["Orchestrator__Worker__RunCommand__1"] = "-c",
            ["Orchestrator__Worker__RunCommand__2"] = Script,
            ["Orchestrator__Worker__RunCommand__3"] = "run",
            ["Orchestrator__Worker__Poll"] = "00:00:00.2",
            ["Orchestrator__Worker__RunLogChars"] = "2000",
            ["RESULTS"] = results.FullName,
        })();

        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("logged", fixture.Store, ["linear:T", "linear:W"], folds: [1]));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(60));

        var runs = (await cluster.Queue.RunsAsync(sweep.SweepId)).ToDictionary(r => r.ConfigurationKey);
        var once = Assert.Single(await cluster.Queue.RunLogsAsync(runs["linear:T"].Id));
        Assert.Equal((1, "worker", RunLogOutcomes.Succeeded, null, "{\"epoch\":1}\n", 0), (once.Attempt, once.Worker, once.Outcome, once.Error, once.Log, once.DroppedLines));

        var twice = await cluster.Queue.RunLogsAsync(runs["linear:W"].Id);
        Assert.Equal([(1, RunLogOutcomes.Failed), (2, RunLogOutcomes.Succeeded)], twice.Select(l => (l.Attempt, l.Outcome)));
        var killed = twice[0];
        Assert.Equal("the run process exited with code 137", killed.Error);
        Assert.InRange(killed.Log.Length, 1500, 2000);
        Assert.EndsWith("first attempt line 300 of 300, padded to sixty characters.....\n", killed.Log);
        var kept = killed.Log.TrimEnd('\n').Split('\n');
        Assert.Equal(301, kept.Length + killed.DroppedLines);        // the epoch line and 300 numbered ones, each either kept or counted
        Assert.StartsWith($"first attempt line {killed.DroppedLines} of 300", kept[0]);
        Assert.Equal("{\"epoch\":1}\nsecond attempt of linear:W fold 1\n", twice[1].Log);
    }
}
