using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// Paired differences of UA between two configurations: for every (fold, repeat) both ran, the
/// first's UA minus the second's (percentage points), drawn as dots with their mean ± sample sd,
/// one row per compared pair, against a zero line. Pairing removes what a fold or seed adds to
/// both, so a difference smaller than either configuration's sd can still be consistent.
/// </summary>
public static class PairedDifferences
{
    public const string FileName = "paired-differences.png";

    /// <param name="pairs">(A, B): A - B is drawn.</param>
    /// <param name="runs">The sweep's succeeded runs.</param>
    public static ReportFigure Draw(IReadOnlyList<(string A, string B)> pairs, IReadOnlyList<ReportRun> runs)
    {
        const string title = "Paired differences of UA";
        if (pairs.Count == 0)
            return ReportFigure.LeftOut(FileName, title,
                "Left out: no pair to compare (--compare A,B names one; by default each Table 2 row with both a coattention and a late fusion cell).");
        var differences = pairs.Select(p => (Pair: p, Values: Differences(p.A, p.B, runs))).ToList();
        var drawn = differences.Where(d => d.Values.Count > 0).ToList();
        var missing = differences.Where(d => d.Values.Count == 0).Select(d => $"{d.Pair.A} - {d.Pair.B}").ToList();
        var missingText = missing.Count == 0 ? "" : $" No (fold, repeat) where both succeeded: {string.Join("; ", missing)}.";
        if (drawn.Count == 0) return ReportFigure.LeftOut(FileName, title, "Left out:" + missingText);

        var plot = Charts.New(title);
        plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dashed);
        for (var i = 0; i < drawn.Count; i++)
        {
            var y = Charts.Row(i, drawn.Count);
            var values = drawn[i].Values;
            var dots = plot.Add.Scatter(values.ToArray(), values.Select((_, j) => y + 0.1 + 0.2 * j / Math.Max(1, values.Count - 1)).ToArray(), Colors.SteelBlue);
            dots.LineWidth = 0;
            dots.MarkerSize = 6;
            var (mean, sd) = Charts.MeanSd(values);
            if (sd is { } spread) Charts.HorizontalError(plot, mean, y - 0.15, spread, Colors.Black);
            plot.Add.Marker(mean, y - 0.15, MarkerShape.FilledDiamond, 10, Colors.Black);
        }
        Charts.CategoryRows(plot, [.. drawn.Select(d => $"{d.Pair.A} − {d.Pair.B}")]);
        plot.Axes.SetLimitsY(-0.6, drawn.Count - 0.4);
        plot.XLabel("UA difference (percentage points)");

        var caption = "Per (fold, repeat) difference of unweighted accuracy, first minus second (dots), and its mean ± sample sd (diamond): " +
                      string.Join("; ", drawn.Select(d => $"{d.Pair.A} − {d.Pair.B} {Charts.MeanSdText(d.Values)}")) + "." + missingText;
        return ReportFigure.Of(FileName, title, caption, plot, 760, 140 + 70 * drawn.Count);
    }

    /// <summary>100 x (UA of <paramref name="a"/> - UA of <paramref name="b"/>) for each (fold, repeat) both have, by repeat then fold.</summary>
    public static IReadOnlyList<double> Differences(string a, string b, IReadOnlyList<ReportRun> runs)
    {
        var second = runs.Where(r => r.ConfigurationKey == b).ToDictionary(r => (r.Fold, r.Repeat), r => r.Ua);
        return runs.Where(r => r.ConfigurationKey == a && second.ContainsKey((r.Fold, r.Repeat)))
            .OrderBy(r => r.Repeat).ThenBy(r => r.Fold)
            .Select(r => 100 * (r.Ua - second[(r.Fold, r.Repeat)])).ToList();
    }
}
