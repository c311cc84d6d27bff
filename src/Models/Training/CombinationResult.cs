namespace Orchestrator.Models.Training;

/// <summary>
/// The combination of two runs of the same fold and repeat (method.md Table 3): the averaged
/// logits and their scores.
/// </summary>
/// <param name="ConfigurationKey">"first + second": the two configuration keys.</param>
/// <param name="Fold">The test session both runs share.</param>
/// <param name="Repeat">The repeat both runs share.</param>
/// <param name="Metrics">Scores of the arg-max of the averaged logits.</param>
/// <param name="TestLogits">(a + b) / 2 per test utterance id.</param>
/// <param name="TestLabels">True class index per test utterance id.</param>
public sealed record CombinationResult(
    string ConfigurationKey,
    int Fold,
    int Repeat,
    ClassificationMetrics Metrics,
    IReadOnlyDictionary<string, float[]> TestLogits,
    IReadOnlyDictionary<string, int> TestLabels);
