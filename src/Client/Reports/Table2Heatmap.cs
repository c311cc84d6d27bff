using Orchestrator.Client.Rendering;
using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// The paper's Table 2 as a heat-map: rows the speech streams fused with the text (those the sweep
/// has, in the paper's order), columns coattention and late fusion, each cell's mean UA (%) in its
/// colour and written in it; a cell the sweep lacks is grey with a dash.
/// </summary>
public static class Table2Heatmap
{
    public const string FileName = "table2-heatmap.png";

    private static readonly (string Model, string Label)[] Columns = [("coattention", "Coattention"), ("late", "Late fusion")];

    public static ReportFigure Draw(IReadOnlyList<PaperTableCell> cells)
    {
        const string title = "Table 2: UA by speech streams and fusion";
        var rows = ResultsView.Table2Rows.Where(r => cells.Any(c => c.Row == r)).ToList();
        if (rows.Count == 0)
            return ReportFigure.LeftOut(FileName, title,
                "Left out: the sweep has no Table 2 configuration (coattention or late fusion of T with speech streams, default settings) with a succeeded run.");

        // (rows, 2): row 0 is drawn at the top, so it sits at y = rows - 1.
        var values = new double[rows.Count, Columns.Length];
        for (var r = 0; r < rows.Count; r++)
            for (var m = 0; m < Columns.Length; m++)
                values[r, m] = cells.FirstOrDefault(c => c.Row == rows[r] && c.Model == Columns[m].Model)?.UaMean ?? double.NaN;
        var filled = cells.Select(c => c.UaMean).ToList();
        var (low, high) = (filled.Min(), filled.Max());

        var plot = Charts.New(title);
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.NaNCellColor = Colors.LightGray;
        if (high > low) map.ManualRange = new ScottPlot.Range(low, high);
        plot.Add.ColorBar(map).Label = "UA (%)";
        for (var r = 0; r < rows.Count; r++)
            for (var m = 0; m < Columns.Length; m++)
            {
                var value = values[r, m];
                Charts.CellLabel(plot, double.IsNaN(value) ? "–" : Charts.F(value), m, rows.Count - 1 - r,
                    double.IsNaN(value) ? 1 : high > low ? (value - low) / (high - low) : 0.5);
            }
        plot.Axes.Bottom.SetTicks([0, 1], [.. Columns.Select(c => c.Label)]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(r => (double)(rows.Count - 1 - r))], [.. rows.Select(r => $"T+{r}")]);
        plot.XLabel("fusion");
        plot.YLabel("streams");
        plot.HideGrid();

        var caption = $"Mean unweighted accuracy (%) of each cell over its runs; {cells.Count} of {rows.Count * Columns.Length} cells filled" +
                      $" ({string.Join(", ", cells.Select(c => $"{c.ConfigurationKey} {Charts.F(c.UaMean)}, n = {c.Runs}"))}).";
        return ReportFigure.Of(FileName, title, caption, plot, 560, 120 + 60 * rows.Count);
    }
}
