using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

public sealed class CombinationTests
{
    private static readonly Dictionary<string, int> Labels = new() { ["u1"] = 0, ["u2"] = 1, ["u3"] = 2, ["u4"] = 3 };

    // Run a (early fusion) predicts u1 0 (right), u2 2 (wrong), u3 3 (wrong), u4 3 (right): WA 0.5.
    private static RunResult EarlyFusion(int fold = 2, int repeat = 1, Dictionary<string, int>? labels = null) =>
        RunResults.WithLogits("T+F+P/coattention", fold, repeat, new()
        {
            ["u1"] = [2, 0, 0, 0], ["u2"] = [0, 1, 3, 0], ["u3"] = [0, 0, 1, 2], ["u4"] = [0, 0, 0, 1],
        }, labels ?? Labels);

    // Run b (late fusion) predicts u1 1, u2 1, u3 2, u4 0.
    private static RunResult LateFusion(int fold = 2, int repeat = 1) =>
        RunResults.WithLogits("T+F+S/late", fold, repeat, new()
        {
            ["u1"] = [0, 1, 0, 0], ["u2"] = [0, 4, 0, 0], ["u3"] = [0, 0, 4, 0], ["u4"] = [3, 0, 0, 0],
        }, Labels);

    [Fact]
    public void Averages_the_logits_per_utterance_and_scores_their_arg_max()
    {
        // Arrange: averages u1 [1 .5 0 0] -> 0 right, u2 [0 2.5 1.5 0] -> 1 right,
        // u3 [0 0 2.5 1] -> 2 right, u4 [1.5 0 0 .5] -> 0 wrong (neu).
        // Recalls 1, 1, 1, 0: UA = 0.75; WA = 3/4.
        var a = EarlyFusion();
        var b = LateFusion();

        // Act
        var combined = Combination.Evaluate(a, b);

        // Assert
        Assert.Equal(0.5, a.Metrics.WeightedAccuracy);
        Assert.Equal([1f, 0.5f, 0f, 0f], combined.TestLogits["u1"]);
        Assert.Equal([0f, 2.5f, 1.5f, 0f], combined.TestLogits["u2"]);
        Assert.Equal([1.5f, 0f, 0f, 0.5f], combined.TestLogits["u4"]);
        Assert.Equal(0.75, combined.Metrics.UnweightedAccuracy, 1e-12);
        Assert.Equal(0.75, combined.Metrics.WeightedAccuracy, 1e-12);
        Assert.Equal(1, combined.Metrics.Confusion[3][0]);
        Assert.Equal(("T+F+P/coattention + T+F+S/late", 2, 1), (combined.ConfigurationKey, combined.Fold, combined.Repeat));
        Assert.Equal(Labels, combined.TestLabels);
    }

    [Fact]
    public void Runs_of_different_folds_or_repeats_are_refused()
    {
        // Act / Assert
        var fold = Assert.Throws<ArgumentException>(() => Combination.Evaluate(EarlyFusion(fold: 2), LateFusion(fold: 3)));
        Assert.Throws<ArgumentException>(() => Combination.Evaluate(EarlyFusion(repeat: 1), LateFusion(repeat: 2)));
        Assert.Contains("fold and repeat", fold.Message);
    }

    [Fact]
    public void Runs_with_different_test_utterances_or_labels_are_refused()
    {
        // Arrange
        var a = EarlyFusion();
        var missing = a with
        {
            TestLogits = a.TestLogits.Where(p => p.Key != "u3").ToDictionary(),
            TestLabels = a.TestLabels.Where(p => p.Key != "u3").ToDictionary(),
        };
        var relabelled = EarlyFusion(labels: new(Labels) { ["u2"] = 3 });

        // Act
        var error = Assert.Throws<ArgumentException>(() => Combination.Evaluate(missing, LateFusion()));

        // Assert
        Assert.Contains("u3", error.Message);
        Assert.Throws<ArgumentException>(() => Combination.Evaluate(relabelled, LateFusion()));
    }
}
