using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>Small configurations and exact comparisons of run results.</summary>
internal static class Runs
{
    /// <summary>
    /// One libtorch thread on the calling thread. The count is per thread (OpenMP), and a test
    /// thread that ran torch before keeps the count it started with; the runs are tiny, and two
    /// threads per run on a loaded machine only spin. Returns true, for a field initialiser.
    /// </summary>
    public static bool UseOneThread()
    {
        TorchSharp.torch.set_num_threads(1);
        return true;
    }

    /// <summary><paramref name="kind"/> over <paramref name="streams"/>, branches 32 wide, short training.</summary>
    public static ModelConfiguration Small(ModelKind kind, string streams, int maxEpochs = 20, int patience = 4, int batchSize = 32) =>
        ModelConfiguration.Of(kind, StreamKinds.Parse(streams)) with
        {
            Options = new ModelOptions { BranchWidth = 32 },
            Training = new TrainingOptions(BatchSize: batchSize, MaxEpochs: maxEpochs, Patience: patience),
        };

    /// <summary>Asserts two runs are identical: identity, epochs, scores, and every test logit bit for bit.</summary>
    public static void AssertIdentical(RunResult expected, RunResult actual)
    {
        Assert.Equal((expected.ConfigurationKey, expected.Fold, expected.Repeat, expected.Seed), (actual.ConfigurationKey, actual.Fold, actual.Repeat, actual.Seed));
        Assert.Equal((expected.EpochsRun, expected.BestEpoch, expected.ValidationUnweightedAccuracy), (actual.EpochsRun, actual.BestEpoch, actual.ValidationUnweightedAccuracy));
        Assert.Equal((expected.Metrics.UnweightedAccuracy, expected.Metrics.WeightedAccuracy, expected.Metrics.MacroF1),
            (actual.Metrics.UnweightedAccuracy, actual.Metrics.WeightedAccuracy, actual.Metrics.MacroF1));
        Assert.Equal(expected.Metrics.Confusion, actual.Metrics.Confusion);
        Assert.Equal(expected.ValidationIds, actual.ValidationIds);
        Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.TrainingLoss, e.ValidationUnweightedAccuracy, e.Best)),
            actual.Epochs.Select(e => (e.Epoch, e.TrainingLoss, e.ValidationUnweightedAccuracy, e.Best)));
        Assert.Equal(expected.LayerWeights.Keys.Order(StringComparer.Ordinal), actual.LayerWeights.Keys.Order(StringComparer.Ordinal));
        foreach (var (module, weights) in expected.LayerWeights)
            Assert.True(Bits(weights).SequenceEqual(Bits(actual.LayerWeights[module])), $"Layer weights of {module} differ.");
        Assert.Equal(expected.TestLabels.OrderBy(p => p.Key, StringComparer.Ordinal), actual.TestLabels.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.TestLogits.Keys.Order(StringComparer.Ordinal), actual.TestLogits.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, logits) in expected.TestLogits)
            Assert.True(Bits(logits).SequenceEqual(Bits(actual.TestLogits[id])),
                $"{expected.ConfigurationKey} fold {expected.Fold} repeat {expected.Repeat}: logits of {id} differ: [{string.Join(", ", logits)}] vs [{string.Join(", ", actual.TestLogits[id])}]");
    }

    /// <summary>Whether any test logit of the two runs differs.</summary>
    public static bool LogitsDiffer(RunResult a, RunResult b) =>
        a.TestLogits.Any(p => !b.TestLogits.TryGetValue(p.Key, out var other) || !Bits(p.Value).SequenceEqual(Bits(other)));

    private static IEnumerable<int> Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits);
}
