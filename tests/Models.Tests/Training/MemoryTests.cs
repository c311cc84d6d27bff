using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// Thousands of optimizer steps leave no tensor behind: every tensor a step or an evaluation creates
/// is disposed, so a run of 100 epochs holds as much native memory at its end as after its first few.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class MemoryTests(SyntheticStoreFixture store, ITestOutputHelper output)
{
    private readonly bool _oneThread = Runs.UseOneThread();

    [Fact]
    public void Live_tensors_do_not_grow_over_two_thousand_training_steps()
    {
        // Batches of 8 over the 288 training utterances of a fold: 36 steps an epoch, 60 epochs
        // (patience = max epochs, so no early stop) = 2160 steps, each with a validation pass.
        const int epochs = 60, warmUp = 5;
        var configuration = Runs.Small(ModelKind.Linear, "F", maxEpochs: epochs, patience: epochs, batchSize: 8);
        var plan = CrossValidation.Plan(store.Data, configuration.Training);
        var steps = (plan.Split(1, 1).Train.Count + 7) / 8 * epochs;
        // The statistics count the tensors created minus those disposed on this thread, whatever the
        // garbage collector does: a tensor left to a finalizer stays counted here. The progress
        // callback runs on the training thread, after each epoch (training, validation, snapshot).
        var live = new List<long>();

        var result = RunTrainer.Run(store.Data, plan, configuration, fold: 1, repeat: 1,
            progress: new Callback(_ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount)));

        output.WriteLine($"{steps} steps; live tensors after each epoch: {string.Join(" ", live)}");
        Assert.Equal(epochs, result.EpochsRun);
        Assert.True(steps >= 2000, $"only {steps} steps");
        // Allowed: a handful of tensors that appear once (e.g. lazily created optimizer state);
        // a leak of one tensor per step would add thousands, one per epoch sixty.
        Assert.InRange(live[^1] - live[warmUp - 1], -5, 5);
        Assert.InRange(live.Skip(warmUp).Max() - live[warmUp - 1], 0, 5);
    }

    private sealed class Callback(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
