using System.Text.Json;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

public sealed class CrossValidationSummaryTests
{
    [Fact]
    public void Reports_the_mean_and_sample_standard_deviation_of_each_score()
    {
        // Arrange: UA 0.6, 0.7, 0.8: mean 0.7, sample variance (0.01 + 0 + 0.01) / 2 = 0.01, sd 0.1.
        //          WA 0.5, 0.5, 0.8: mean 0.6, sample variance (0.01 + 0.01 + 0.04) / 2 = 0.03.
        RunResult[] runs =
        [
            RunResults.WithScores("T", 1, 1, 0.6, 0.5, 0.4),
            RunResults.WithScores("T", 2, 1, 0.7, 0.5, 0.4),
            RunResults.WithScores("T", 1, 2, 0.8, 0.8, 0.4),
        ];

        // Act
        var summary = CrossValidationSummary.From(runs);

        // Assert
        Assert.Equal(("T", 3), (summary.ConfigurationKey, summary.Count));
        Assert.Equal(0.7, summary.UnweightedAccuracy.Mean, 1e-12);
        Assert.Equal(0.1, summary.UnweightedAccuracy.StandardDeviation!.Value, 1e-12);
        Assert.Equal(0.6, summary.WeightedAccuracy.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(0.03), summary.WeightedAccuracy.StandardDeviation!.Value, 1e-12);
        Assert.Equal(0.0, summary.MacroF1.StandardDeviation!.Value, 1e-12);
    }

    [Fact]
    public void Counts_the_runs_that_never_predicted_some_class_of_their_test_set()
    {
        // Fold 1 never predicts class 1 (present); fold 2 predicts every class; fold 3 never predicts class 2.
        RunResult Run(int fold, int[][] rows) => RunResults.WithMetrics("late:T+F", fold, 1, ConfusionMatrix.FromRows(rows).Metrics());
        RunResult[] runs =
        [
            Run(1, [[3, 0, 1], [2, 0, 2], [0, 0, 4]]),
            Run(2, [[3, 1, 0], [1, 2, 1], [0, 1, 3]]),
            Run(3, [[3, 1, 0], [1, 3, 0], [2, 2, 0]]),
        ];

        var summary = CrossValidationSummary.From(runs);

        Assert.Equal(2, summary.CollapsedRuns);
    }

    [Fact]
    public void One_run_has_no_standard_deviation()
    {
        // Act
        var summary = CrossValidationSummary.From([RunResults.WithScores("T", 1, 1, 0.6, 0.5, 0.4)]);

        // Assert
        Assert.Null(summary.UnweightedAccuracy.StandardDeviation);
        Assert.Equal(0.6, summary.UnweightedAccuracy.Mean);
    }

    [Fact]
    public void Mixed_configurations_a_run_counted_twice_or_no_run_are_refused()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => CrossValidationSummary.From(
            [RunResults.WithScores("T", 1, 1, 0.6, 0.5, 0.4), RunResults.WithScores("F", 2, 1, 0.6, 0.5, 0.4)]));
        Assert.Throws<ArgumentException>(() => CrossValidationSummary.From(
            [RunResults.WithScores("T", 1, 1, 0.6, 0.5, 0.4), RunResults.WithScores("T", 1, 1, 0.7, 0.5, 0.4)]));
        Assert.Throws<ArgumentException>(() => CrossValidationSummary.From(Array.Empty<RunResult>()));
    }

    [Fact]
    public void A_run_result_survives_a_JSON_round_trip()
    {
        // Arrange
        var run = RunResults.WithLogits("T+F/late", 3, 2,
            new() { ["Ses03F_impro01_F000"] = [0.25f, -1.5f, 2, 0], ["Ses03M_impro01_M001"] = [1, 0, 0, 0] },
            new() { ["Ses03F_impro01_F000"] = 2, ["Ses03M_impro01_M001"] = 1 });

        // Act
        var json = JsonSerializer.Serialize(run, TrainingJsonContext.Default.RunResult);
        var back = JsonSerializer.Deserialize(json, TrainingJsonContext.Default.RunResult)!;

        // Assert
        Assert.Equal((run.ConfigurationKey, run.Fold, run.Repeat, run.Seed, run.BestEpoch), (back.ConfigurationKey, back.Fold, back.Repeat, back.Seed, back.BestEpoch));
        Assert.Equal(run.Metrics.UnweightedAccuracy, back.Metrics.UnweightedAccuracy);
        Assert.Equal(run.Metrics.Confusion, back.Metrics.Confusion);
        Assert.Equal(run.Metrics.Classes, back.Metrics.Classes);
        Assert.Equal(run.TestLogits["Ses03F_impro01_F000"], back.TestLogits["Ses03F_impro01_F000"]);
        Assert.Equal(run.TestLabels, back.TestLabels);
    }
}
