using System.Globalization;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>What every figure shares: a plot in the report's font, number formats, and mean and sample sd.</summary>
internal static class Charts
{
    /// <summary>A new plot with a sans-serif font (DejaVu Sans where installed) and a title.</summary>
    public static Plot New(string title)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, 15);
        return plot;
    }

    /// <summary>Two decimals, invariant culture: how the report writes scores in percent.</summary>
    public static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Mean and sample standard deviation (null below two values).</summary>
    public static (double Mean, double? Sd) MeanSd(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        double? sd = values.Count < 2 ? null : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return (mean, sd);
    }

    /// <summary>"mean ± sd (n = N)" in two decimals; no sd below two values.</summary>
    public static string MeanSdText(IReadOnlyCollection<double> values)
    {
        var (mean, sd) = MeanSd(values);
        return $"{F(mean)}{(sd is { } s ? $" ± {F(s)}" : "")} (n = {values.Count})";
    }

    /// <summary>Labels the bottom axis with <paramref name="labels"/> at 0, 1, 2, ..., turned 45 degrees and given room when long.</summary>
    public static void CategoryTicks(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        if (labels.Sum(l => l.Length) <= 60) return;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 20 + 7 * labels.Max(l => l.Length);
    }

    /// <summary>Writes <paramref name="text"/> centred at (<paramref name="x"/>, <paramref name="y"/>), white on dark cells of a heat-map and black on light ones.</summary>
    public static void CellLabel(Plot plot, string text, double x, double y, double fraction)
    {
        var label = plot.Add.Text(text, x, y);
        label.Alignment = Alignment.MiddleCenter;
        label.LabelFontSize = 12;
        label.LabelFontColor = fraction < 0.55 ? Colors.White : Colors.Black;
    }
}
