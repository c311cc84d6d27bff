namespace Orchestrator.Models.Training;

/// <summary>Predictions and metrics from per-utterance logits.</summary>
public static class Logits
{
    /// <summary>The class with the highest logit; ties go to the lowest class index (as torch.argmax on the CPU does).</summary>
    public static int ArgMax(IReadOnlyList<float> logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Count == 0) throw new ArgumentException("No logits: a prediction needs at least one class.", nameof(logits));
        var best = 0;
        for (var c = 1; c < logits.Count; c++)
            if (logits[c] > logits[best]) best = c;
        return best;
    }

    /// <summary>Metrics of the arg-max predictions of <paramref name="logits"/> against <paramref name="labels"/> (same ids).</summary>
    public static ClassificationMetrics Evaluate(IReadOnlyDictionary<string, float[]> logits, IReadOnlyDictionary<string, int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count == 0) throw new ArgumentException("No test logits to evaluate.", nameof(logits));
        var classes = logits.Values.First().Length;
        var matrix = new ConfusionMatrix(classes);
        foreach (var (id, row) in logits)
        {
            if (row.Length != classes) throw new ArgumentException($"'{id}' has {row.Length} logits; others have {classes}.", nameof(logits));
            if (!labels.TryGetValue(id, out var label)) throw new ArgumentException($"'{id}' has logits but no label.", nameof(labels));
            matrix.Add(label, ArgMax(row));
        }
        if (labels.Count != logits.Count) throw new ArgumentException($"{labels.Count} labels for {logits.Count} logit rows; every labelled utterance needs logits.", nameof(labels));
        return matrix.Metrics();
    }
}
