namespace Orchestrator.Models.Training;

/// <summary>
/// Leave-one-session-out cross-validation (method.md section 1): fold k tests on session k, for
/// every session present in the utterance list; the other sessions train, minus a validation
/// share drawn per (repeat, fold) by <see cref="ValidationSplit"/>.
/// </summary>
/// <remarks>
/// Folds are numbered by their session (IEMOCAP: 1 to 5). Repeats are numbered from 1; the
/// number is hashed into the seeds as given (<see cref="RunSeed"/>), so callers must use the
/// same numbering everywhere a run is identified.
/// </remarks>
public sealed class CrossValidationPlan
{
    private readonly IReadOnlyList<LabelledItem> items;

    /// <summary>A plan over <paramref name="items"/>; ids must be unique and at least two sessions present.</summary>
    public CrossValidationPlan(IEnumerable<LabelledItem> items, ValidationSplitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        this.items = items.ToList();
        Options = options ?? ValidationSplitOptions.Default;
        var duplicate = this.items.GroupBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Utterance id '{duplicate.Key}' occurs {duplicate.Count()} times; ids must be unique.", nameof(items));
        Folds = this.items.Select(i => i.Session).Distinct().Order().ToList();
        if (Folds.Count < 2) throw new ArgumentException($"Leave-one-session-out needs at least two sessions; the utterances come from {Folds.Count}.", nameof(items));
    }

    /// <summary>The sessions present, ascending: fold k tests on session k.</summary>
    public IReadOnlyList<int> Folds { get; }

    /// <summary>How validation sets are drawn.</summary>
    public ValidationSplitOptions Options { get; }

    /// <summary>Every (fold, repeat) of <paramref name="repeats"/> repeats numbered 1..repeats, repeat-major.</summary>
    public IEnumerable<(int Fold, int Repeat)> Runs(int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        for (var repeat = 1; repeat <= repeats; repeat++)
            foreach (var fold in Folds)
                yield return (fold, repeat);
    }

    /// <summary>Train, validation and test ids of fold <paramref name="fold"/> in repeat <paramref name="repeat"/>.</summary>
    public RunSplit Split(int fold, int repeat)
    {
        if (!Folds.Contains(fold))
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"No utterance is in session {fold}; the folds are {string.Join(", ", Folds)}.");
        var test = items.Where(i => i.Session == fold).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        var (train, validation) = ValidationSplit.Draw(items.Where(i => i.Session != fold).ToList(), fold, repeat, Options);
        return new RunSplit(train, validation, test);
    }
}
