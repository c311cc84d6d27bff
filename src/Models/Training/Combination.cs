namespace Orchestrator.Models.Training;

/// <summary>
/// Combines an early-fusion and a late-fusion run (method.md Table 3): per test utterance, the
/// mean of the two runs' logits; the prediction is its arg-max.
/// </summary>
/// <remarks>
/// Raw logits are averaged, as the method says, not softmax probabilities. The two runs must be
/// of the same fold and repeat (so, by <see cref="ValidationSplit"/>, trained and tested on the
/// same utterances) and carry the same test ids and labels; anything else is a bookkeeping
/// error and is refused rather than scored.
/// </remarks>
public static class Combination
{
    public static CombinationResult Evaluate(RunResult a, RunResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var what = $"Cannot combine {Describe(a)} with {Describe(b)}";
        if (a.Fold != b.Fold || a.Repeat != b.Repeat)
            throw new ArgumentException($"{what}: combined runs must share fold and repeat.");
        var onlyA = a.TestLogits.Keys.Except(b.TestLogits.Keys, StringComparer.Ordinal).ToList();
        var onlyB = b.TestLogits.Keys.Except(a.TestLogits.Keys, StringComparer.Ordinal).ToList();
        if (onlyA.Count > 0 || onlyB.Count > 0)
            throw new ArgumentException($"{what}: their test utterances differ ({onlyA.Count} only in the first, e.g. {Example(onlyA)}; {onlyB.Count} only in the second, e.g. {Example(onlyB)}).");

        var averaged = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var id in a.TestLogits.Keys.Order(StringComparer.Ordinal))
        {
            var (x, y) = (a.TestLogits[id], b.TestLogits[id]);
            if (x.Length != y.Length) throw new ArgumentException($"{what}: '{id}' has {x.Length} logits in the first and {y.Length} in the second.");
            if (!a.TestLabels.TryGetValue(id, out var label) || !b.TestLabels.TryGetValue(id, out var other) || label != other)
                throw new ArgumentException($"{what}: '{id}' is not labelled alike in both runs.");
            averaged[id] = x.Zip(y, (p, q) => (p + q) / 2).ToArray();
        }
        var labels = averaged.Keys.ToDictionary(id => id, id => a.TestLabels[id], StringComparer.Ordinal);
        return new CombinationResult($"{a.ConfigurationKey} + {b.ConfigurationKey}", a.Fold, a.Repeat, Logits.Evaluate(averaged, labels), averaged, labels);
    }

    private static string Describe(RunResult run) => $"'{run.ConfigurationKey}' fold {run.Fold} repeat {run.Repeat}";

    private static string Example(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : ids[0];
}
