using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// A bar per configuration, in grid order from the top: mean UA (%) over its runs, the error bar one
/// sample standard deviation either side, and each run as a dot on the bar so the spread shows whole.
/// Horizontal, so that long configuration keys read level.
/// </summary>
public static class ScoreBars
{
    public const string FileName = "ua-bars.png";

    /// <param name="keys">The sweep's configurations in grid order.</param>
    /// <param name="runs">Their succeeded runs.</param>
    public static ReportFigure Draw(IReadOnlyList<string> keys, IReadOnlyList<ReportRun> runs)
    {
        const string title = "UA per configuration: mean ± sd over runs";
        var scored = keys.Select(k => (Key: k, Ua: runs.Where(r => r.ConfigurationKey == k).Select(r => 100 * r.Ua).ToList()))
            .Where(s => s.Ua.Count > 0).ToList();
        if (scored.Count == 0) return ReportFigure.LeftOut(FileName, title, "Left out: no configuration of the sweep has a succeeded run.");

        var plot = Charts.New(title);
        var bars = plot.Add.Bars(scored.Select((s, i) => new Bar
        {
            Position = Charts.Row(i, scored.Count), Value = Charts.MeanSd(s.Ua).Mean, FillColor = Colors.SteelBlue.WithAlpha(0.75), Size = 0.7,
        }).ToArray());
        bars.Horizontal = true;
        for (var i = 0; i < scored.Count; i++)
        {
            var y = Charts.Row(i, scored.Count);
            var ua = scored[i].Ua;
            var dots = plot.Add.Scatter(ua.ToArray(), ua.Select((_, j) => y + Jitter(j, ua.Count)).ToArray(), Colors.Black);
            dots.LineWidth = 0;
            dots.MarkerSize = 4;
            if (Charts.MeanSd(ua) is (var mean, { } sd)) Charts.HorizontalError(plot, mean, y, sd, Colors.Black);
        }
        Charts.CategoryRows(plot, [.. scored.Select(s => s.Key)]);
        plot.XLabel("UA (%)");
        plot.Axes.Margins(left: 0);

        var caption = "Unweighted accuracy (%) of each configuration, mean ± sample sd over its runs (dots): " +
                      string.Join("; ", scored.Select(s => $"{s.Key} {Charts.MeanSdText(s.Ua)}")) + ".";
        return ReportFigure.Of(FileName, title, caption, plot, 760, 120 + 42 * scored.Count);
    }

    // Spreads n dots across the middle half of a bar.
    private static double Jitter(int index, int count) => count == 1 ? 0 : -0.2 + 0.4 * index / (count - 1);
}
