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

    /// <summary>Labels the left axis with <paramref name="labels"/> from the top down: label i at y = n - 1 - i, where <see cref="Row"/> puts row i.</summary>
    public static void CategoryRows(Plot plot, IReadOnlyList<string> labels) =>
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => Row(i, labels.Count))], [.. labels]);

    /// <summary>The y of row <paramref name="index"/> of <paramref name="count"/> when the first row is drawn at the top.</summary>
    public static double Row(int index, int count) => count - 1 - index;

    /// <summary>A horizontal error bar: <paramref name="sd"/> either side of (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static void HorizontalError(Plot plot, double x, double y, double sd, Color color)
    {
        var bar = new ScottPlot.Plottables.ErrorBar([x], [y], [sd], [sd], [0.0], [0.0]) { Color = color, LineWidth = 2, CapSize = 8 };
        plot.Add.Plottable(bar);
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
