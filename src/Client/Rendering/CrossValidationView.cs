using Orchestrator.Models.Corpus;
using Orchestrator.Models.Training;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>cv</c> and <c>combine</c>.</summary>
public static class CrossValidationView
{
    public static void Render(IAnsiConsole console, CrossValidationSummary summary, IReadOnlyList<RunResult> runs, string resultsFile)
    {
        var table = new Table().Title($"{Markup.Escape(summary.ConfigurationKey)}: {runs.Count} runs").AddColumn("repeat").AddColumn("fold")
            .AddColumn(new TableColumn("UA").RightAligned()).AddColumn(new TableColumn("WA").RightAligned()).AddColumn(new TableColumn("F1").RightAligned())
            .AddColumn(new TableColumn("best epoch").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned()).AddColumn("never predicted");
        foreach (var run in runs)
            table.AddRow($"{run.Repeat}", $"{run.Fold}", Percent(run.Metrics.UnweightedAccuracy), Percent(run.Metrics.WeightedAccuracy),
                Percent(run.Metrics.MacroF1), $"{run.BestEpoch}/{run.EpochsRun}", $"{run.WallTimeSeconds:0.0}", Collapse(run.Metrics));
        console.Write(table);
        console.MarkupLineInterpolated($"[bold]{summary.ConfigurationKey}[/]: UA [bold]{Format(summary.UnweightedAccuracy)}[/], WA {Format(summary.WeightedAccuracy)}, F1 {Format(summary.MacroF1)} over {summary.Count} runs (mean ± standard deviation). Runs kept in {resultsFile}.");
        if (summary.CollapsedRuns > 0)
            console.MarkupLineInterpolated($"[yellow]Class collapse: {summary.CollapsedRuns} of {summary.Count} runs predicted no test utterance of some class (column \"never predicted\"); their UA is not comparable with the others'.[/]");
    }

    /// <summary>The classes a run never predicted, in red, or empty.</summary>
    public static string Collapse(ClassificationMetrics metrics) =>
        metrics.Collapsed ? $"[red]{string.Join(" ", metrics.CollapsedClasses.Select(c => ((Emotion)c).Code()))}[/]" : "";

    public static void RenderCombination(IAnsiConsole console, CrossValidationSummary combined, CrossValidationSummary early, CrossValidationSummary late)
    {
        var table = new Table().Title("combination by logit averaging").AddColumn("configuration").AddColumn(new TableColumn("runs").RightAligned())
            .AddColumn(new TableColumn("UA").RightAligned()).AddColumn(new TableColumn("WA").RightAligned()).AddColumn(new TableColumn("F1").RightAligned());
        foreach (var s in new[] { early, late, combined })
            table.AddRow(Markup.Escape(s.ConfigurationKey), $"{s.Count}", Format(s.UnweightedAccuracy), Format(s.WeightedAccuracy), Format(s.MacroF1));
        console.Write(table);
    }

    public static string Format(MeanDeviation value) =>
        value.StandardDeviation is { } sd ? $"{value.Mean * 100:0.00} ± {sd * 100:0.00}" : $"{value.Mean * 100:0.00}";

    private static string Percent(double value) => $"{value * 100:0.00}";
}
