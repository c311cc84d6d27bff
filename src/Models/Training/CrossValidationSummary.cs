namespace Orchestrator.Models.Training;

/// <summary>
/// A configuration's score over its runs (method.md section 1: the mean over the 25 runs of 5
/// repeats x 5 folds, with the standard deviation): each run counts once, whatever its test
/// set's size, as in the paper.
/// </summary>
/// <param name="ConfigurationKey">The configuration every summarised run belongs to.</param>
/// <param name="Count">Runs summarised.</param>
/// <param name="UnweightedAccuracy">UA over the runs.</param>
/// <param name="WeightedAccuracy">WA over the runs.</param>
/// <param name="MacroF1">Macro F1 over the runs.</param>
/// <param name="CollapsedRuns">Runs that predicted no test item of some class present (<see cref="ClassificationMetrics.Collapsed"/>).</param>
public sealed record CrossValidationSummary(
    string ConfigurationKey,
    int Count,
    MeanDeviation UnweightedAccuracy,
    MeanDeviation WeightedAccuracy,
    MeanDeviation MacroF1,
    int CollapsedRuns)
{
    /// <summary>Summarises runs of one configuration; refuses mixed configurations or a (fold, repeat) counted twice.</summary>
    public static CrossValidationSummary From(IReadOnlyCollection<RunResult> runs) =>
        From(runs.Select(r => (r.ConfigurationKey, r.Fold, r.Repeat, r.Metrics)).ToList());

    /// <summary>Summarises combinations of one pair of configurations, as <see cref="From(IReadOnlyCollection{RunResult})"/>.</summary>
    public static CrossValidationSummary From(IReadOnlyCollection<CombinationResult> combinations) =>
        From(combinations.Select(r => (r.ConfigurationKey, r.Fold, r.Repeat, r.Metrics)).ToList());

    private static CrossValidationSummary From(IReadOnlyList<(string Key, int Fold, int Repeat, ClassificationMetrics Metrics)> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("No runs to summarise.", nameof(runs));
        var keys = runs.Select(r => r.Key).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count > 1) throw new ArgumentException($"Runs of {keys.Count} configurations ({string.Join(", ", keys.Take(3))}...) cannot be summarised as one.", nameof(runs));
        var twice = runs.GroupBy(r => (r.Fold, r.Repeat)).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Fold {twice.Key.Fold} repeat {twice.Key.Repeat} occurs {twice.Count()} times; each run counts once.", nameof(runs));
        return new CrossValidationSummary(
            keys[0],
            runs.Count,
            MeanDeviation.Of(runs.Select(r => r.Metrics.UnweightedAccuracy).ToList()),
            MeanDeviation.Of(runs.Select(r => r.Metrics.WeightedAccuracy).ToList()),
            MeanDeviation.Of(runs.Select(r => r.Metrics.MacroF1).ToList()),
            runs.Count(r => r.Metrics.Collapsed));
    }
}
