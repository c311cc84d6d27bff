using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Training;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>train</c>: scores, confusion matrix, how training went.</summary>
public static class RunResultView
{
    public static void Render(IAnsiConsole console, RunResult run, TrainingData data, IReadOnlyList<StreamKind> streams)
    {
        var m = run.Metrics;
        console.Write(new Rule($"[bold]{Markup.Escape(run.ConfigurationKey)}[/] fold {run.Fold} repeat {run.Repeat}").LeftJustified());
        console.MarkupLineInterpolated($"UA [bold]{m.UnweightedAccuracy * 100:0.00}[/]  WA {m.WeightedAccuracy * 100:0.00}  macro F1 {m.MacroF1 * 100:0.00}  on {m.Total} test utterances");
        console.MarkupLineInterpolated($"best epoch {run.BestEpoch} of {run.EpochsRun} (validation UA {run.ValidationUnweightedAccuracy * 100:0.00}), {run.WallTimeSeconds:0.0} s, {run.TrainingSamplesPerSecond:0} training utterances/s, seed {run.Seed}");
        console.Write(Confusion(m));
        foreach (var (kind, count) in data.Fallbacks.Where(f => f.Value > 0 && streams.Contains(f.Key)))
            console.MarkupLineInterpolated($"[grey]{count} utterance(s) have no {kind.Name()} stream and use their frames instead.[/]");
    }

    public static Table Confusion(ClassificationMetrics m)
    {
        var table = new Table().Title("confusion (rows: true, columns: predicted)").AddColumn("");
        foreach (var code in EmotionLabels.Codes) table.AddColumn(new TableColumn(code).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (var t = 0; t < m.Confusion.Length; t++)
            table.AddRow([EmotionLabels.Codes[t], .. m.Confusion[t].Select(c => $"{c}"), m.Classes[t].Recall is { } r ? $"{r * 100:0.0}" : "-"]);
        return table;
    }
}
