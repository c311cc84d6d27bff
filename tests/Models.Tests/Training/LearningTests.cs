using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;
using Xunit.Abstractions;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// The whole training path learns: on features where text knows valence and speech knows arousal,
/// late fusion of the two beats the best single modality on average over the five folds (the
/// issue's acceptance criterion, on synthetic features where the answer is known).
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class LearningTests(SyntheticStoreFixture store, ITestOutputHelper output)
{
    private readonly bool _oneThread = Runs.UseOneThread();

    [Fact]
    public void Late_fusion_of_text_and_frames_beats_the_best_single_modality_on_average_over_the_folds()
    {
        double MeanUa(ModelKind kind, string streams) =>
            CrossValidationSummary.From(CrossValidation.Run(store.Data, Runs.Small(kind, streams, maxEpochs: 15, patience: 4), repeats: 1, parallelism: 2))
                .UnweightedAccuracy.Mean;

        var text = MeanUa(ModelKind.Linear, "T");
        var frames = MeanUa(ModelKind.Linear, "F");
        var late = MeanUa(ModelKind.Late, "T,F");
        output.WriteLine($"mean UA over 5 folds: linear T {text:0.000}, linear F {frames:0.000}, late T+F {late:0.000}");

        // Each modality alone: clearly above chance (0.25), but it can only tell two pairs of classes apart (at most 0.5).
        Assert.InRange(text, 0.3, 0.55);
        Assert.InRange(frames, 0.3, 0.55);
        Assert.True(late > Math.Max(text, frames) + 0.15, $"late T+F UA {late:0.000}, linear T {text:0.000}, linear F {frames:0.000}");
    }
}
