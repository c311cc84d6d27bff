using Orchestrator.Models.Corpus;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

public sealed class ClassificationMetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Four_class_matrix_gives_the_hand_computed_UA_WA_and_macro_F1()
    {
        // Arrange: rows = true (ang, hap, sad, neu), columns = predicted.
        //   ang [8 1 0 1]  support 10, recall 0.8, predicted 11, precision 8/11, F1 = 2*8/(10+11) = 16/21
        //   hap [2 6 1 1]  support 10, recall 0.6, predicted  9, precision 6/9,  F1 = 2*6/(10+9)  = 12/19
        //   sad [0 0 4 1]  support  5, recall 0.8, predicted  6, precision 4/6,  F1 = 2*4/(5+6)   =  8/11
        //   neu [1 2 1 6]  support 10, recall 0.6, predicted  9, precision 6/9,  F1 = 2*6/(10+9)  = 12/19
        // UA = (0.8 + 0.6 + 0.8 + 0.6) / 4 = 0.7; WA = (8+6+4+6) / 35 = 24/35.
        var matrix = ConfusionMatrix.FromRows([[8, 1, 0, 1], [2, 6, 1, 1], [0, 0, 4, 1], [1, 2, 1, 6]]);

        // Act
        var metrics = matrix.Metrics();

        // Assert
        Assert.Equal(0.7, metrics.UnweightedAccuracy, Tolerance);
        Assert.Equal(24.0 / 35, metrics.WeightedAccuracy, Tolerance);
        Assert.Equal((16.0 / 21 + 12.0 / 19 + 8.0 / 11 + 12.0 / 19) / 4, metrics.MacroF1, Tolerance);
        Assert.Equal(35, metrics.Total);
        Assert.Equal([0, 1, 2, 3], metrics.PresentClasses);
        Assert.True(metrics.AllClassesPresent);
        Assert.Equal(8.0 / 11, metrics.Classes[0].Precision, Tolerance);
        Assert.Equal(0.8, metrics.Classes[2].Recall!.Value, Tolerance);
        Assert.Equal(8.0 / 11, metrics.Classes[2].F1!.Value, Tolerance);
        Assert.Equal([5, 6], new[] { metrics.Classes[2].Support, metrics.Classes[2].Predicted });
        Assert.Equal([2, 6, 1, 1], metrics.Confusion[1]);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_and_F1_zero_and_still_counts_in_UA()
    {
        // Arrange: three classes; class 1 is present but never predicted.
        //   c0 [5 0 0]  recall 1,   predicted 9, precision 5/9, F1 = 2*5/(5+9) = 5/7
        //   c1 [3 0 2]  recall 0,   predicted 0, precision 0,   F1 = 0 (P + R = 0)
        //   c2 [1 0 4]  recall 0.8, predicted 6, precision 4/6, F1 = 2*4/(5+6) = 8/11
        // UA = (1 + 0 + 0.8) / 3 = 0.6; WA = 9 / 15 = 0.6.
        var matrix = ConfusionMatrix.FromRows([[5, 0, 0], [3, 0, 2], [1, 0, 4]]);

        // Act
        var metrics = ClassificationMetrics.From(matrix);

        // Assert
        Assert.Equal(0.6, metrics.UnweightedAccuracy, Tolerance);
        Assert.Equal(0.6, metrics.WeightedAccuracy, Tolerance);
        Assert.Equal((5.0 / 7 + 0 + 8.0 / 11) / 3, metrics.MacroF1, Tolerance);
        Assert.Equal(0.0, metrics.Classes[1].Precision);
        Assert.Equal(0.0, metrics.Classes[1].F1);
        Assert.Equal(0.0, metrics.Classes[1].Recall);
        Assert.Equal([1], metrics.CollapsedClasses);
        Assert.True(metrics.Collapsed);
    }

    [Fact]
    public void Class_collapse_counts_only_classes_of_the_test_set_that_were_never_predicted()
    {
        // c1 absent and never predicted: no collapse. c2 present but never predicted: collapse.
        var absentOnly = ConfusionMatrix.FromRows([[4, 0, 1], [0, 0, 0], [2, 0, 3]]);
        var presentNeverPredicted = ConfusionMatrix.FromRows([[4, 1, 0], [0, 0, 0], [2, 3, 0]]);

        Assert.Empty(absentOnly.Metrics().CollapsedClasses);
        Assert.False(absentOnly.Metrics().Collapsed);
        Assert.Equal([2], presentNeverPredicted.Metrics().CollapsedClasses);
        Assert.True(presentNeverPredicted.Metrics().Collapsed);
    }

    [Fact]
    public void A_class_absent_from_the_test_set_is_left_out_of_UA_and_macro_F1_but_its_predictions_count_as_errors()
    {
        // Arrange: sad (2) has no test item but is predicted once, for an angry utterance.
        //   ang [3 0 1 0]  recall 0.75, predicted 4, F1 = 2*3/(4+4) = 0.75
        //   hap [0 2 0 0]  recall 1,    predicted 2, F1 = 1
        //   sad [0 0 0 0]  absent: recall and F1 undefined; precision 0/1 = 0
        //   neu [1 0 0 3]  recall 0.75, predicted 3, F1 = 2*3/(4+3) = 6/7
        // UA = (0.75 + 1 + 0.75) / 3; WA = 8/10.
        var matrix = ConfusionMatrix.ForEmotions();
        foreach (var (truth, predicted, times) in new[]
                 {
                     (Emotion.Angry, Emotion.Angry, 3), (Emotion.Angry, Emotion.Sad, 1), (Emotion.Happy, Emotion.Happy, 2),
                     (Emotion.Neutral, Emotion.Angry, 1), (Emotion.Neutral, Emotion.Neutral, 3),
                 })
            for (var i = 0; i < times; i++) matrix.Add(truth, predicted);

        // Act
        var metrics = matrix.Metrics();

        // Assert
        Assert.Equal([0, 1, 3], metrics.PresentClasses);
        Assert.False(metrics.AllClassesPresent);
        Assert.Equal(2.5 / 3, metrics.UnweightedAccuracy, Tolerance);
        Assert.Equal(0.8, metrics.WeightedAccuracy, Tolerance);
        Assert.Equal((0.75 + 1 + 6.0 / 7) / 3, metrics.MacroF1, Tolerance);
        Assert.Null(metrics.Classes[2].Recall);
        Assert.Null(metrics.Classes[2].F1);
        Assert.Equal(0.0, metrics.Classes[2].Precision);
        Assert.Equal(1, metrics.Classes[2].Predicted);
    }

    [Fact]
    public void From_labels_and_predictions_counts_each_pair_in_its_cell()
    {
        // Arrange
        int[] labels = [0, 0, 1, 2, 2, 2];
        int[] predictions = [0, 1, 1, 2, 0, 2];

        // Act
        var matrix = ConfusionMatrix.From(labels, predictions, 3);

        // Assert
        Assert.Equal([[1, 1, 0], [0, 1, 0], [1, 0, 2]], matrix.ToArray());
        Assert.Equal(6, matrix.Total);
        Assert.Equal(3, matrix.Support(2));
        Assert.Equal(2, matrix.PredictedCount(0));
    }

    [Fact]
    public void Refuses_what_has_no_defined_score_or_no_cell()
    {
        // Arrange
        var empty = ConfusionMatrix.ForEmotions();

        // Act / Assert
        Assert.Throws<ArgumentException>(() => empty.Metrics());
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.Add(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => empty.Add(0, -1));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.From([0, 1], [0], 2));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromRows([[1, 0], [0]]));
    }
}
