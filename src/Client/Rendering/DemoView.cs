using Orchestrator.Models.Training;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The demo's result: the UA table and a bar chart of it.</summary>
public static class DemoView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<CrossValidationSummary> summaries)
    {
        var table = new Table().Title("unweighted accuracy, mean ± standard deviation over runs (chance: 25)")
            .AddColumn("configuration").AddColumn(new TableColumn("runs").RightAligned()).AddColumn(new TableColumn("UA").RightAligned())
            .AddColumn(new TableColumn("WA").RightAligned()).AddColumn(new TableColumn("macro F1").RightAligned())
            .AddColumn(new TableColumn("class collapse").RightAligned());
        foreach (var s in summaries)
            table.AddRow(Markup.Escape(s.ConfigurationKey), $"{s.Count}", CrossValidationView.Format(s.UnweightedAccuracy),
                CrossValidationView.Format(s.WeightedAccuracy), CrossValidationView.Format(s.MacroF1),
                s.CollapsedRuns == 0 ? "none" : $"[red]{s.CollapsedRuns} of {s.Count} runs[/]");
        console.Write(table);
        var chart = new BarChart().Label("UA (%)").WithMaxValue(100).Width(70);
        foreach (var s in summaries) chart.AddItem(s.ConfigurationKey, Math.Round(s.UnweightedAccuracy.Mean * 100, 1), Color.SteelBlue);
        console.Write(chart);
        console.MarkupLine("[grey]Built-in encoders are untrained: these numbers show the pipeline working end to end, not the paper's results.[/]");
    }
}
