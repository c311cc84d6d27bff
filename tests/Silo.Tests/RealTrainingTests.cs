using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>Real training through a worker silo: its results are those of <c>orchestrator train</c> alone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RealTrainingTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Key = "linear:T[width=16,max-epochs=3,patience=3]";

    [Fact]
    public async Task Runs_trained_by_a_worker_silo_record_the_results_of_orchestrator_train_of_the_same_run()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        await cluster.Worker("worker", 2, new Dictionary<string, string> { ["Orchestrator__Worker__Poll"] = "00:00:00.2" })();
        var watch = Stopwatch.StartNew();
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("real", fixture.Store, [Key], folds: [2, 5]));
        var references = Task.WhenAll(new[] { 2, 5 }.Select(fold => TrainAsync(fixture.Store, fold, repeat: 1)));
        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(120));
        output.WriteLine($"2 real runs through the worker silo: {watch.Elapsed.TotalSeconds:0.0} s from submission to completion");

        Assert.All(await cluster.Queue.RunsAsync(sweep.SweepId), r => Assert.Equal((RunStates.Succeeded, 1), (r.State, r.Attempts)));
        var recorded = await cluster.Queue.ResultsAsync(fixture.Store.Fingerprint, Key);
        Assert.Equal([(2, 1), (5, 1)], recorded.Select(r => (r.Fold, r.Repeat)).Order());
        foreach (var expected in await references)
        {
            var actual = recorded.Single(r => r.Fold == expected.Fold);
            Assert.Equal((expected.Seed, expected.EpochsRun, expected.BestEpoch), (actual.Seed, actual.EpochsRun, actual.BestEpoch));
            Assert.Equal(expected.Metrics.UnweightedAccuracy, actual.Metrics.UnweightedAccuracy);
            Assert.Equal(expected.Metrics.Confusion, actual.Metrics.Confusion);
            Assert.Equal(expected.TestLabels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.TestLabels.OrderBy(l => l.Key, StringComparer.Ordinal));
            Assert.Equal(TinyStore.PerSession, actual.TestLogits.Count);
            Assert.All(expected.TestLogits, row => Assert.Equal(row.Value, actual.TestLogits[row.Key]));
            Assert.Equal(expected.ValidationIds, actual.ValidationIds);
        }
    }

    /// <summary><c>orchestrator train --json</c> of the run, in a process of its own.</summary>
    private static async Task<RunResult> TrainAsync(TinyStore store, int fold, int repeat)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { SiloProcess.Cli, "train", "--store", store.Directory, "--configuration", Key, "--fold", $"{fold}", "--repeat", $"{repeat}", "--json", "--threads", "1" })
            start.ArgumentList.Add(argument);
        start.Environment.Remove("ORCHESTRATOR_WORKER");
        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0, await errors);
        return JsonSerializer.Deserialize(await json, TrainingJsonContext.Default.RunResult)!;
    }
}
