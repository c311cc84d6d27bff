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
            .AddColumn(new TableColumn("WA").RightAligned()).AddColumn(new TableColumn("macro F1").RightAligned());
        foreach (var s in summaries)
            table.AddRow(Markup.Escape(s.ConfigurationKey), $"{s.Count}", CrossValidationView.Format(s.UnweightedAccuracy),
                CrossValidationView.Format(s.WeightedAccuracy), CrossValidationView.Format(s.MacroF1));
        console.Write(table);
        // Under the table, not in it: a sixth column wraps every cell on an 80-column terminal.
        var collapsed = summaries.Where(s => s.CollapsedRuns > 0).ToList();
        if (collapsed.Count == 0)
            console.MarkupLine("Class collapse: none (every run predicted each class of its test session at least once).");
        else
            foreach (var s in collapsed)
                console.MarkupLineInterpolated($"[yellow]Class collapse: {s.CollapsedRuns} of {s.Count} runs of {s.ConfigurationKey} predicted no test utterance of some class.[/]");
        var chart = new BarChart().Label("UA (%)").WithMaxValue(100).Width(70);
        foreach (var s in summaries) chart.AddItem(s.ConfigurationKey, Math.Round(s.UnweightedAccuracy.Mean * 100, 1), Color.SteelBlue);
        console.Write(chart);
        console.MarkupLine("[grey]Built-in encoders are untrained: these numbers show the pipeline working end to end, not the paper's results.[/]");
    }
}
