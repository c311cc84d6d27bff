using Orchestrator.Database;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>What the demo prints under its three tables: class collapse, a bar chart of UA, the report, and where to query the results.</summary>
public static class DemoView
{
    public static void RenderFooter(IAnsiConsole console, IReadOnlyList<SweepConfigurationScore> scores, long sweepId, string? psql, string report)
    {
        var collapsed = scores.Where(s => s.CollapsedRuns > 0).ToList();
        if (collapsed.Count == 0)
            console.MarkupLine("Class collapse: none (every run predicted each class of its test session at least once).");
        else
            console.MarkupLineInterpolated($"[yellow]Class collapse: {collapsed.Sum(s => s.CollapsedRuns)} runs of {collapsed.Count} configurations predicted no test utterance of some class (named under each table).[/]");
        var chart = new BarChart().Label("UA (%), mean over runs").WithMaxValue(100).Width(70);
        foreach (var s in scores.Where(s => s.UaMean is not null))
            chart.AddItem(Markup.Escape(s.ConfigurationKey), Math.Round(s.UaMean!.Value, 1), Color.SteelBlue);
        console.Write(chart);
        console.MarkupLine("[grey]Built-in encoders, not pre-trained (a fixed filter bank for speech, random weights for text): these numbers show the pipeline working end to end on the synthetic corpus, not the paper's results.[/]");
        console.MarkupLineInterpolated($"Figures (Table 2 heat-map, UA bars, confusion matrices, learning curves, layer weights): [bold]{report}[/]");
        console.MarkupLineInterpolated($"Every run, its logits and the score views are in PostgreSQL: [bold]orchestrator results {sweepId}[/] (--table 1|2|3, --format csv|markdown|latex|json)");
        if (psql is not null)
            console.MarkupLineInterpolated($"or [bold]{psql} -c \"SELECT * FROM table2 WHERE store_fingerprint = (SELECT store_fingerprint FROM sweeps WHERE id = {sweepId})\"[/] (docs/sql.md has more queries)");
    }
}
