using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>Builds <see cref="RunResult"/>s for the combination and summary tests.</summary>
internal static class RunResults
{
    public static RunResult WithLogits(string key, int fold, int repeat, Dictionary<string, float[]> logits, Dictionary<string, int> labels) =>
        new(key, fold, repeat, RunSeed.ForRun(key, fold, repeat).Value, Logits.Evaluate(logits, labels),
            EpochsRun: 12, BestEpoch: 7, ValidationUnweightedAccuracy: 0.5, WallTimeSeconds: 3.5, TrainingSamplesPerSecond: 900,
            logits, labels, ["validation-1"], [new EpochReport(1, 12, 1.2, 0.5, true, 900)], new Dictionary<string, float[]> { ["weighting.text"] = [0.5f, 0.5f] });

    /// <summary>A run with the given metrics and no logits.</summary>
    public static RunResult WithMetrics(string key, int fold, int repeat, ClassificationMetrics metrics) =>
        new(key, fold, repeat, 0, metrics, 1, 1, 0, 0, 0, new Dictionary<string, float[]>(), new Dictionary<string, int>(), [], [], new Dictionary<string, float[]>());

    /// <summary>A run whose scores are given directly.</summary>
    public static RunResult WithScores(string key, int fold, int repeat, double ua, double wa, double f1) =>
        new(key, fold, repeat, 0, new ClassificationMetrics(ua, wa, f1, 1, [0], [new ClassScore(1, 1, ua, 1, f1)], [[1]]), 1, 1, 0, 0, 0,
            new Dictionary<string, float[]>(), new Dictionary<string, int>(), [], [], new Dictionary<string, float[]>());
}
