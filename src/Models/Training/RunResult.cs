namespace Orchestrator.Models.Training;

/// <summary>
/// Everything one training run (configuration, fold, repeat) leaves behind: the test scores of
/// the best-validation checkpoint, how training went, and the per-utterance test logits that a
/// later <see cref="Combination"/> averages (method.md Table 3). Plain data, serialisable with
/// System.Text.Json; no tensors.
/// </summary>
/// <param name="ConfigurationKey">The configuration's key, as hashed into <see cref="Seed"/>.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat (from 1).</param>
/// <param name="Seed">The run's seed (<see cref="RunSeed.ForRun"/>).</param>
/// <param name="Metrics">Test UA, WA, macro F1 and confusion matrix of the best-validation checkpoint.</param>
/// <param name="EpochsRun">Epochs trained before early stopping.</param>
/// <param name="BestEpoch">The epoch (from 1) whose weights were evaluated.</param>
/// <param name="ValidationUnweightedAccuracy">Validation UA at <paramref name="BestEpoch"/>.</param>
/// <param name="WallTimeSeconds">Wall-clock time of the run, training and evaluation.</param>
/// <param name="TrainingSamplesPerSecond">Training utterances processed per second of training time.</param>
/// <param name="TestLogits">Logits per test utterance id, one per class in class order.</param>
/// <param name="TestLabels">True class index per test utterance id.</param>
/// <param name="ValidationIds">The utterances early stopping validated on, ordinal order: with the
/// fold (test session) they fix the run's split, so an independent implementation can re-run it.</param>
/// <param name="Epochs">Every epoch trained: training loss, validation UA, whether it was the best so far, throughput.</param>
/// <param name="LayerWeights">The evaluated model's normalised layer weights by module path (<see cref="Fusion.FusionModel.LayerWeights"/>).</param>
public sealed record RunResult(
    string ConfigurationKey,
    int Fold,
    int Repeat,
    long Seed,
    ClassificationMetrics Metrics,
    int EpochsRun,
    int BestEpoch,
    double ValidationUnweightedAccuracy,
    double WallTimeSeconds,
    double TrainingSamplesPerSecond,
    IReadOnlyDictionary<string, float[]> TestLogits,
    IReadOnlyDictionary<string, int> TestLabels,
    IReadOnlyList<string> ValidationIds,
    IReadOnlyList<EpochReport> Epochs,
    IReadOnlyDictionary<string, float[]> LayerWeights);
