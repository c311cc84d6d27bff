using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Every run of one configuration under the paper's protocol: leave-one-session-out folds times
/// repeats (5 x 5 = 25 on IEMOCAP). Runs already in <paramref name="results"/> are not run again.
/// </summary>
public static class CrossValidation
{
    /// <summary>The plan a configuration's runs share: folds by session, the validation split per repeat.</summary>
    public static CrossValidationPlan Plan(TrainingData data, TrainingOptions training) =>
        new(data.Items, new ValidationSplitOptions(training.ValidationFraction, training.StratifiedValidation));

    public static IReadOnlyList<RunResult> Run(TrainingData data, ModelConfiguration configuration, int repeats, ResultsFolder? results = null,
        Device? device = null, IProgress<CrossValidationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var plan = Plan(data, configuration.Training);
        var finished = (results?.Load(configuration.Key) ?? []).ToDictionary(r => (r.Fold, r.Repeat));
        var runs = plan.Runs(repeats).ToList();
        var done = runs.Count(r => finished.ContainsKey(r));
        var output = new List<RunResult>(runs.Count);
        foreach (var (fold, repeat) in runs)
        {
            if (finished.TryGetValue((fold, repeat), out var previous))
            {
                output.Add(previous);
                continue;
            }
            progress?.Report(new CrossValidationProgress(done, runs.Count, fold, repeat, null));
            var epochs = progress is null ? null : new Progress(p => progress.Report(new CrossValidationProgress(done, runs.Count, fold, repeat, p)));
            var result = RunTrainer.Run(data, plan, configuration, fold, repeat, device, epochs, cancellation);
            results?.Save(result);
            output.Add(result);
            done++;
            progress?.Report(new CrossValidationProgress(done, runs.Count, fold, repeat, null));
        }
        return output;
    }

    /// <summary>Synchronous progress: reports arrive on the training thread, in order.</summary>
    private sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
