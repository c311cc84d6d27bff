using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Training;

/// <summary>
/// Counts of (true class, predicted class) pairs: rows are the true class, columns the predicted
/// class, classes numbered as <see cref="Emotion"/> for the method's four classes. Every metric
/// of method.md section 1 (UA, WA, macro F1) is a function of this matrix alone, so runs keep it
/// and <see cref="ClassificationMetrics"/> derives the rest.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;

    /// <summary>An empty C x C matrix.</summary>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ClassCount = classCount;
        counts = new int[classCount, classCount];
    }

    /// <summary>C: the number of rows and of columns.</summary>
    public int ClassCount { get; }

    /// <summary>Number of pairs added.</summary>
    public int Total { get; private set; }

    /// <summary>Pairs with true class <paramref name="trueClass"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int trueClass, int predicted] => counts[trueClass, predicted];

    /// <summary>An empty matrix for the four classes of <see cref="Emotion"/>.</summary>
    public static ConfusionMatrix ForEmotions() => new(EmotionLabels.Codes.Count);

    /// <summary>Counts the pairs (labels[i], predictions[i]).</summary>
    public static ConfusionMatrix From(IReadOnlyList<int> labels, IReadOnlyList<int> predictions, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        if (labels.Count != predictions.Count)
            throw new ArgumentException($"{labels.Count} labels but {predictions.Count} predictions; they must pair up.", nameof(predictions));
        var matrix = new ConfusionMatrix(classCount);
        for (var i = 0; i < labels.Count; i++) matrix.Add(labels[i], predictions[i]);
        return matrix;
    }

    /// <summary>Counts the pairs (labels[i], predictions[i]) over the four emotions.</summary>
    public static ConfusionMatrix From(IReadOnlyList<Emotion> labels, IReadOnlyList<Emotion> predictions) =>
        From(labels.Select(l => (int)l).ToList(), predictions.Select(p => (int)p).ToList(), EmotionLabels.Codes.Count);

    /// <summary>Rebuilds a matrix from its rows (as <see cref="ToArray"/> or a JSON report gives them).</summary>
    public static ConfusionMatrix FromRows(IReadOnlyList<IReadOnlyList<int>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var matrix = new ConfusionMatrix(rows.Count);
        for (var t = 0; t < rows.Count; t++)
        {
            if (rows[t].Count != rows.Count) throw new ArgumentException($"Row {t} has {rows[t].Count} columns; a confusion matrix is square ({rows.Count} x {rows.Count}).", nameof(rows));
            for (var p = 0; p < rows.Count; p++)
            {
                if (rows[t][p] < 0) throw new ArgumentException($"Count [{t}, {p}] is negative ({rows[t][p]}).", nameof(rows));
                matrix.counts[t, p] = rows[t][p];
                matrix.Total += rows[t][p];
            }
        }
        return matrix;
    }

    /// <summary>Counts one test item.</summary>
    public void Add(int trueClass, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trueClass);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trueClass, ClassCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, ClassCount);
        counts[trueClass, predicted]++;
        Total++;
    }

    /// <summary>Counts one test item of the four emotions.</summary>
    public void Add(Emotion trueClass, Emotion predicted) => Add((int)trueClass, (int)predicted);

    /// <summary>Items whose true class is <paramref name="trueClass"/> (the row sum: the class' support).</summary>
    public int Support(int trueClass) => Enumerable.Range(0, ClassCount).Sum(p => counts[trueClass, p]);

    /// <summary>Items predicted as <paramref name="predicted"/> (the column sum).</summary>
    public int PredictedCount(int predicted) => Enumerable.Range(0, ClassCount).Sum(t => counts[t, predicted]);

    /// <summary>Rows as jagged arrays: the form JSON reports carry.</summary>
    public int[][] ToArray() =>
        Enumerable.Range(0, ClassCount).Select(t => Enumerable.Range(0, ClassCount).Select(p => counts[t, p]).ToArray()).ToArray();

    /// <summary>UA, WA, macro F1 and per-class scores of this matrix.</summary>
    public ClassificationMetrics Metrics() => ClassificationMetrics.From(this);
}
