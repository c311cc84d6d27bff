using Microsoft.Extensions.Configuration;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Workers;

namespace Orchestrator.Silo.Tests;

/// <summary>The run kind that trains nothing, and how a worker's settings select its executor.</summary>
public sealed class NoopRunExecutorTests
{
    private static readonly LeasedRun Run = new(7, "fingerprint", "/stores/x", "late:T+F[lr=0.0001]", "late", "T+F", "{}", Fold: 3, Repeat: 2, Attempt: 1);

    [Fact]
    public async Task A_noop_run_returns_at_once_a_consistent_result_of_its_own_run_the_same_every_time()
    {
        var epochs = new List<int>();

        var outcome = await new NoopRunExecutor(TimeSpan.Zero, TimeProvider.System).ExecuteAsync(Run, epochs.Add, CancellationToken.None);

        var result = Assert.IsType<RunResult>(outcome.Result);
        Assert.Null(outcome.Error);
        Assert.Equal(new[] { 1 }, epochs);
        Assert.Equal(("late:T+F[lr=0.0001]", 3, 2), (result.ConfigurationKey, result.Fold, result.Repeat));
        Assert.Equal(RunSeed.ForRun(Run.ConfigurationKey, 3, 2).Int64, result.Seed);
        Assert.Equal(NoopRunExecutor.Utterances, result.TestLogits.Count);
        Assert.Equal(result.TestLogits.Keys.Order(), result.TestLabels.Keys.Order());
        var expected = Logits.Evaluate(result.TestLogits, result.TestLabels);
        Assert.Equal((expected.UnweightedAccuracy, expected.WeightedAccuracy, expected.MacroF1), (result.Metrics.UnweightedAccuracy, result.Metrics.WeightedAccuracy, result.Metrics.MacroF1));
        Assert.Equal((1, 1, 1), (result.EpochsRun, result.BestEpoch, result.Epochs.Count));
        Assert.Empty(result.LayerWeights);
        var again = NoopRunExecutor.Result(Run with { RunId = 8, Attempt = 2 });
        Assert.All(result.TestLogits, row => Assert.Equal(row.Value, again.TestLogits[row.Key]));
    }

    [Fact]
    public async Task A_noop_run_that_takes_time_stops_as_soon_as_it_is_cancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var running = new NoopRunExecutor(TimeSpan.FromMinutes(5), TimeProvider.System).ExecuteAsync(Run, _ => { }, cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_settings_select_the_executor_by_name_and_the_process_executor_needs_a_run_command()
    {
        var noop = Bind(new() { ["Orchestrator:Worker:Executor"] = "noop", ["Orchestrator:Worker:NoopDuration"] = "00:00:00.25" });
        var process = Bind(new() { ["Orchestrator:Worker:RunCommand:0"] = "/bin/true" });
        var unset = Bind([]);

        Assert.Equal((RunExecutorKind.Noop, TimeSpan.FromMilliseconds(250)), (noop.Executor, noop.NoopDuration));
        Assert.IsType<NoopRunExecutor>(RunExecutors.Create(noop, TimeProvider.System));
        Assert.IsType<ProcessRunExecutor>(RunExecutors.Create(process, TimeProvider.System));
        var error = Assert.Throws<InvalidOperationException>(() => RunExecutors.Create(unset, TimeProvider.System));
        Assert.Contains("Orchestrator:Worker:RunCommand", error.Message);
    }

    private static WorkerOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
}
