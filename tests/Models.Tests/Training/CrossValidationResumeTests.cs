using System.Text.Json;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// A cross-validation keeps each run in its <see cref="ResultsFolder"/> file as it finishes; one
/// interrupted after two runs resumes with the three it is missing and ends as if never stopped.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class CrossValidationResumeTests(SyntheticStoreFixture store) : IDisposable
{
    private readonly bool _oneThread = Runs.UseOneThread();

    private readonly DirectoryInfo _results = Directory.CreateTempSubdirectory("orchestrator-results-");

    public void Dispose() => _results.Delete(recursive: true);

    [Fact]
    public void An_interrupted_cross_validation_resumes_with_only_the_missing_runs()
    {
        var configuration = Runs.Small(ModelKind.Linear, "T", maxEpochs: 2, patience: 2);
        var folder = new ResultsFolder(_results.FullName);
        using var cancellation = new CancellationTokenSource();
        var savedCounts = new List<int>();

        Assert.ThrowsAny<OperationCanceledException>(() => CrossValidation.Run(store.Data, configuration, repeats: 1, folder,
            progress: new Callback(p =>
            {
                if (p.Epoch is not null || p.RunsDone == 0) return;
                // Reported after the run is saved: the file must parse and hold every run finished so far.
                using (JsonDocument.Parse(File.ReadAllText(folder.PathOf(configuration.Key)))) { }
                savedCounts.Add(ResultsFolder.LoadFile(folder.PathOf(configuration.Key), configuration.Key).Count);
                if (p.RunsDone == 2) cancellation.Cancel();
            }), cancellation: cancellation.Token));
        var kept = folder.Load(configuration.Key);
        var resumed = new List<(int Fold, int Repeat)>();
        var all = CrossValidation.Run(store.Data, configuration, repeats: 1, folder,
            progress: new Callback(p => { if (p.Epoch is { Epoch: 1 }) resumed.Add((p.Fold, p.Repeat)); }));

        Assert.Equal([1, 2], savedCounts);
        Assert.Equal([(1, 1), (2, 1)], kept.Select(r => (r.Fold, r.Repeat)));
        Assert.Equal([(3, 1), (4, 1), (5, 1)], resumed);
        Assert.Equal([1, 2, 3, 4, 5], all.Select(r => r.Fold));
        foreach (var (before, after) in kept.Zip(all))
            Runs.AssertIdentical(before, after);
        Assert.Equal(5, folder.Load(configuration.Key).Count);
        Assert.Empty(Directory.GetFiles(_results.FullName, "*.tmp"));
    }

    [Fact]
    public void A_finished_cross_validation_trains_nothing_when_run_again()
    {
        var configuration = Runs.Small(ModelKind.Linear, "F", maxEpochs: 1, patience: 1);
        var folder = new ResultsFolder(_results.FullName);
        var first = CrossValidation.Run(store.Data, configuration, repeats: 1, folder);
        var epochs = 0;

        var again = CrossValidation.Run(store.Data, configuration, repeats: 1, folder, progress: new Callback(p => epochs += p.Epoch is null ? 0 : 1));

        Assert.Equal(0, epochs);
        foreach (var (expected, actual) in first.Zip(again))
            Runs.AssertIdentical(expected, actual);
    }

    private sealed class Callback(Action<CrossValidationProgress> report) : IProgress<CrossValidationProgress>
    {
        public void Report(CrossValidationProgress value) => report(value);
    }
}
