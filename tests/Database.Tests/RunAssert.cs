using Orchestrator.Models.Training;

namespace Orchestrator.Database.Tests;

/// <summary>Field-by-field equality of run results (their collections compare by reference otherwise).</summary>
internal static class RunAssert
{
    public static void Same(RunResult expected, RunResult actual)
    {
        Assert.Equal((expected.ConfigurationKey, expected.Fold, expected.Repeat, expected.Seed), (actual.ConfigurationKey, actual.Fold, actual.Repeat, actual.Seed));
        Assert.Equal(
            (expected.EpochsRun, expected.BestEpoch, expected.ValidationUnweightedAccuracy, expected.WallTimeSeconds, expected.TrainingSamplesPerSecond),
            (actual.EpochsRun, actual.BestEpoch, actual.ValidationUnweightedAccuracy, actual.WallTimeSeconds, actual.TrainingSamplesPerSecond));
        var (m, n) = (expected.Metrics, actual.Metrics);
        Assert.Equal((m.UnweightedAccuracy, m.WeightedAccuracy, m.MacroF1, m.Total), (n.UnweightedAccuracy, n.WeightedAccuracy, n.MacroF1, n.Total));
        Assert.Equal(m.PresentClasses, n.PresentClasses);
        Assert.Equal(m.Classes, n.Classes);
        Assert.Equal(m.Confusion, n.Confusion);
        SameRows(expected.TestLogits, actual.TestLogits);
        Assert.Equal(expected.TestLabels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.TestLabels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(expected.ValidationIds, actual.ValidationIds);
        Assert.Equal(expected.Epochs, actual.Epochs);
        SameRows(expected.LayerWeights, actual.LayerWeights);
    }

    private static void SameRows(IReadOnlyDictionary<string, float[]> expected, IReadOnlyDictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, row) in expected) Assert.Equal(row, actual[key]);
    }
}
