using System.Globalization;
using Orchestrator.Database;
using Orchestrator.Models.Corpus;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// A configuration's confusion matrix summed over its runs and normalised by row: each true class's
/// test utterances split by predicted class (%), so the diagonal is each class's recall and UA their mean.
/// </summary>
public static class ConfusionHeatmap
{
    public static string FileName(string configurationKey) => $"confusion-{ReportFigure.Safe(configurationKey)}.png";

    /// <param name="configurationKey">The configuration.</param>
    /// <param name="runs">Its succeeded runs (at least one).</param>
    public static ReportFigure Draw(string configurationKey, IReadOnlyList<ReportRun> runs)
    {
        var title = $"Confusion: {configurationKey}";
        var classes = runs.Max(r => r.Confusion.GetLength(0));
        if (classes == 0) return ReportFigure.LeftOut(FileName(configurationKey), title, "Left out: its runs recorded no confusion matrix.");
        var sum = new long[classes, classes];
        foreach (var run in runs)
            for (var t = 0; t < run.Confusion.GetLength(0); t++)
                for (var p = 0; p < run.Confusion.GetLength(1); p++)
                    sum[t, p] += run.Confusion[t, p];

        // (true, predicted) in %, a class without test utterances NaN; true class 0 drawn at the top.
        var share = new double[classes, classes];
        for (var t = 0; t < classes; t++)
        {
            var support = Enumerable.Range(0, classes).Sum(p => sum[t, p]);
            for (var p = 0; p < classes; p++) share[t, p] = support == 0 ? double.NaN : 100.0 * sum[t, p] / support;
        }

        var plot = Charts.New(title);
        var map = plot.Add.Heatmap(share);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.NaNCellColor = Colors.LightGray;
        map.ManualRange = new ScottPlot.Range(0, 100);
        plot.Add.ColorBar(map).Label = "share of the true class (%)";
        for (var t = 0; t < classes; t++)
            for (var p = 0; p < classes; p++)
                Charts.CellLabel(plot, double.IsNaN(share[t, p]) ? "–" : share[t, p].ToString("0.0", CultureInfo.InvariantCulture),
                    p, classes - 1 - t, double.IsNaN(share[t, p]) ? 1 : share[t, p] / 100);
        var names = Enumerable.Range(0, classes).Select(ClassName).ToArray();
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, classes).Select(p => (double)p)], names);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, classes).Select(t => (double)(classes - 1 - t))], names);
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.HideGrid();

        var recall = Enumerable.Range(0, classes).Where(t => !double.IsNaN(share[t, t])).Select(t => string.Create(CultureInfo.InvariantCulture, $"{names[t]} {share[t, t]:0.0}"));
        var caption = $"Test utterances of {configurationKey} summed over its {runs.Count} run{(runs.Count == 1 ? "" : "s")} " +
                      $"({sum.Cast<long>().Sum()} utterances), each row normalised to 100%. Recall (%): {string.Join(", ", recall)}.";
        return ReportFigure.Of(FileName(configurationKey), title, caption, plot, 520, 440);
    }

    private static string ClassName(int index) => Enum.IsDefined((Emotion)index) ? ((Emotion)index).ToString().ToLowerInvariant() : $"class {index}";
}
