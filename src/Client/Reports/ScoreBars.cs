using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// A bar per configuration, in grid order: mean UA (%) over its runs, the error bar one sample
/// standard deviation either side, and each run as a dot on the bar so the spread shows whole.
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
        var bars = scored.Select((s, i) =>
        {
            var (mean, sd) = Charts.MeanSd(s.Ua);
            return new Bar { Position = i, Value = mean, Error = sd ?? 0, FillColor = Colors.SteelBlue.WithAlpha(0.8), Size = 0.7 };
        }).ToArray();
        plot.Add.Bars(bars);
        for (var i = 0; i < scored.Count; i++)
        {
            var dots = plot.Add.Scatter(scored[i].Ua.Select((_, j) => i + Jitter(j, scored[i].Ua.Count)).ToArray(), scored[i].Ua.ToArray(), Colors.Black);
            dots.LineWidth = 0;
            dots.MarkerSize = 4;
        }
        Charts.CategoryTicks(plot, [.. scored.Select(s => s.Key)]);
        plot.YLabel("UA (%)");
        plot.Axes.Margins(bottom: 0);

        var caption = "Unweighted accuracy (%) of each configuration, mean ± sample sd over its runs (dots): " +
                      string.Join("; ", scored.Select(s => $"{s.Key} {Charts.MeanSdText(s.Ua)}")) + ".";
        return ReportFigure.Of(FileName, title, caption, plot, Math.Max(640, 160 + 70 * scored.Count), 520);
    }

    // Spreads n dots across the middle half of a bar.
    private static double Jitter(int index, int count) => count == 1 ? 0 : -0.2 + 0.4 * index / (count - 1);
}
