using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// The learned layer weights of one stream's weighting module as a heat-map: a row per configuration
/// that has the module (grid order), a column per encoder layer the store keeps, each cell the
/// normalised weight averaged over the configuration's runs: which layers each model relies on.
/// </summary>
public static class LayerWeightHeatmap
{
    public static string FileName(string module) => $"layer-weights-{ReportFigure.Safe(module)}.png";

    /// <param name="module">The weighting module, e.g. <c>weighting.frame</c>.</param>
    /// <param name="weights">Its mean weights, in grid order then layer order.</param>
    public static ReportFigure Draw(string module, IReadOnlyList<LayerWeightMean> weights)
    {
        var title = $"Layer weights: {module}";
        var keys = weights.Select(w => w.ConfigurationKey).Distinct().ToList();
        var layers = weights.Max(w => w.Layer);
        var values = new double[keys.Count, layers];
        for (var k = 0; k < keys.Count; k++)
            for (var l = 0; l < layers; l++)
                values[k, l] = weights.FirstOrDefault(w => w.ConfigurationKey == keys[k] && w.Layer == l + 1)?.Weight ?? double.NaN;
        var high = weights.Max(w => w.Weight);

        var plot = Charts.New(title);
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.NaNCellColor = Colors.LightGray;
        map.ManualRange = new ScottPlot.Range(0, Math.Max(high, 1e-9));
        plot.Add.ColorBar(map).Label = "weight (mean over runs)";
        if (layers <= 16)
            for (var k = 0; k < keys.Count; k++)
                for (var l = 0; l < layers; l++)
                    if (!double.IsNaN(values[k, l]))
                        Charts.CellLabel(plot, values[k, l].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), l, keys.Count - 1 - k, values[k, l] / Math.Max(high, 1e-9));
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, layers).Select(l => (double)l)], [.. Enumerable.Range(1, layers).Select(l => $"{l}")]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, keys.Count).Select(k => (double)(keys.Count - 1 - k))], [.. keys]);
        plot.XLabel("layer (position among the store's layers)");
        plot.HideGrid();

        var peaks = keys.Select((key, k) => (key, Layer: Enumerable.Range(0, layers).Where(l => !double.IsNaN(values[k, l])).MaxBy(l => values[k, l]) + 1));
        var caption = $"Normalised weights of {module} over {layers} layers, a row per configuration, mean over its runs ({weights.Max(w => w.Runs)} at most). " +
                      $"Heaviest layer: {string.Join(", ", peaks.Select(p => $"{p.key} {p.Layer}"))}.";
        return ReportFigure.Of(FileName(module), title, caption, plot, Math.Max(520, 260 + 48 * layers), 140 + 40 * keys.Count);
    }
}
