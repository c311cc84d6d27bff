using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Training;

/// <summary>
/// Draws the validation utterances of a fold from its training utterances with the repeat's seed
/// (method.md section 1): the draw depends on (repeat, fold) and on the ids, never on the
/// configuration, so every configuration of a repeat validates (and therefore trains) on the
/// same utterances and their test logits can be combined.
/// </summary>
/// <remarks>
/// Determinism: the ids are sorted ordinally (the input order never matters), then shuffled by
/// Fisher-Yates with <see cref="DeterministicRandom"/> (SplitMix64, fixed by its own code, not by
/// the runtime's <see cref="Random"/>), seeded with <see cref="RunSeed.ForRepeat"/> and forked by
/// the fold; the first ids are the validation set.
/// Size: round(fraction x n) with halves rounded up (away from zero), clamped to [1, n - 1] so
/// both parts are non-empty. Stratified: the same total, shared out over the classes by largest
/// remainder of fraction x n_class (ties to the lower class index), each class drawn from its own
/// shuffle; proportions then match the training set's to within one utterance per class.
/// </remarks>
public static class ValidationSplit
{
    /// <summary>Splits <paramref name="training"/> into (train, validation) ids, each in ordinal order.</summary>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Validation) Draw(
        IReadOnlyCollection<LabelledItem> training, int fold, int repeat, ValidationSplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Fraction > 0 && options.Fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Fraction, "The validation fraction must lie strictly between 0 and 1.");
        if (training.Count < 2)
            throw new ArgumentException($"Fold {fold} has {training.Count} training utterance(s); at least 2 are needed to hold some out for validation.", nameof(training));

        var total = Size(options.Fraction, training.Count);
        var random = new DeterministicRandom(RunSeed.ForRepeat(repeat).UInt64).Fork(unchecked((ulong)fold));
        var validation = new HashSet<string>(StringComparer.Ordinal);
        if (options.Stratified)
        {
            var byClass = training.GroupBy(i => i.Label).OrderBy(g => g.Key).ToList();
            var quotas = Apportion(total, options.Fraction, byClass.Select(g => g.Count()).ToList());
            for (var c = 0; c < byClass.Count; c++)
                validation.UnionWith(Shuffled(byClass[c].Select(i => i.Id), random).Take(quotas[c]));
        }
        else
        {
            validation.UnionWith(Shuffled(training.Select(i => i.Id), random).Take(total));
        }

        var train = training.Select(i => i.Id).Where(id => !validation.Contains(id)).Order(StringComparer.Ordinal).ToList();
        return (train, validation.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>round(fraction x count), halves up, clamped to [1, count - 1].</summary>
    public static int Size(double fraction, int count) =>
        Math.Clamp((int)Math.Round(fraction * count, MidpointRounding.AwayFromZero), 1, count - 1);

    /// <summary>Shares <paramref name="total"/> over classes in proportion to their sizes: floors of fraction x size, then the rest by largest remainder.</summary>
    private static int[] Apportion(int total, double fraction, IReadOnlyList<int> sizes)
    {
        var quotas = sizes.Select(n => (int)Math.Floor(fraction * n)).ToArray();
        var byRemainder = Enumerable.Range(0, sizes.Count)
            .Where(c => quotas[c] < sizes[c])
            .OrderByDescending(c => fraction * sizes[c] - quotas[c])
            .ThenBy(c => c)
            .ToList();
        for (var k = 0; quotas.Sum() < total && k < byRemainder.Count; k++) quotas[byRemainder[k]]++;
        return quotas;
    }

    private static List<string> Shuffled(IEnumerable<string> ids, DeterministicRandom random)
    {
        var list = ids.Order(StringComparer.Ordinal).ToList();
        random.Shuffle(list);
        return list;
    }
}
