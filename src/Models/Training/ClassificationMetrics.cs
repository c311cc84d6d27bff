namespace Orchestrator.Models.Training;

/// <summary>
/// The scores method.md section 1 reports for one test set, all derived from its confusion matrix.
/// </summary>
/// <remarks>
/// A class absent from the test set (support 0) has no recall, so it cannot enter a mean of
/// recalls honestly: UA and macro F1 are the means over the classes present
/// (<see cref="PresentClasses"/> says which). Counting an absent class' recall as 0 would punish a
/// model for the test set's composition; counting it as 1 would reward it. On IEMOCAP's 4-class
/// sessions every class is present, so the choice matters only for small or synthetic corpora,
/// and a report can tell from <see cref="PresentClasses"/> when it applied. Predictions of an absent
/// class still count: they are errors in the rows of the classes present (lowering their recall)
/// and in <see cref="WeightedAccuracy"/>.
/// </remarks>
/// <param name="UnweightedAccuracy">UA: mean over the classes present of per-class recall.</param>
/// <param name="WeightedAccuracy">WA: plain accuracy, correct / total.</param>
/// <param name="MacroF1">Mean over the classes present of per-class F1.</param>
/// <param name="Total">Test items counted.</param>
/// <param name="PresentClasses">Classes with support &gt; 0, ascending: those UA and macro F1 average over.</param>
/// <param name="Classes">Per-class support, recall, precision and F1, indexed by class.</param>
/// <param name="Confusion">The confusion matrix, rows = true class, columns = predicted.</param>
public sealed record ClassificationMetrics(
    double UnweightedAccuracy,
    double WeightedAccuracy,
    double MacroF1,
    int Total,
    IReadOnlyList<int> PresentClasses,
    IReadOnlyList<ClassScore> Classes,
    int[][] Confusion)
{
    /// <summary>Scores of <paramref name="matrix"/>; throws if it is empty, since no score is defined then.</summary>
    public static ClassificationMetrics From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Total == 0) throw new ArgumentException("The confusion matrix is empty: no test item was counted, so no metric is defined.", nameof(matrix));
        var classes = new List<ClassScore>(matrix.ClassCount);
        var correct = 0;
        for (var c = 0; c < matrix.ClassCount; c++)
        {
            var hits = matrix[c, c];
            correct += hits;
            var support = matrix.Support(c);
            var predicted = matrix.PredictedCount(c);
            var precision = predicted == 0 ? 0.0 : (double)hits / predicted;
            double? recall = support == 0 ? null : (double)hits / support;
            double? f1 = recall is not { } r ? null : precision + r == 0 ? 0.0 : 2 * precision * r / (precision + r);
            classes.Add(new ClassScore(support, predicted, recall, precision, f1));
        }
        var present = Enumerable.Range(0, matrix.ClassCount).Where(c => classes[c].Support > 0).ToList();
        return new ClassificationMetrics(
            UnweightedAccuracy: present.Average(c => classes[c].Recall!.Value),
            WeightedAccuracy: (double)correct / matrix.Total,
            MacroF1: present.Average(c => classes[c].F1!.Value),
            Total: matrix.Total,
            PresentClasses: present,
            Classes: classes,
            Confusion: matrix.ToArray());
    }

    /// <summary>
    /// Classes in the test set that not one item was predicted as, ascending: the model has collapsed
    /// onto the others. A mean UA hides this, so results and tables flag it.
    /// </summary>
    public IReadOnlyList<int> CollapsedClasses => PresentClasses.Where(c => Classes[c].Predicted == 0).ToList();

    /// <summary>Whether some class of the test set was never predicted (<see cref="CollapsedClasses"/>).</summary>
    public bool Collapsed => PresentClasses.Any(c => Classes[c].Predicted == 0);

    /// <summary>Whether every class has support, i.e. UA and macro F1 average over all C classes.</summary>
    public bool AllClassesPresent => PresentClasses.Count == Classes.Count;
}
