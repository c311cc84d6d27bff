using Orchestrator.Models.Corpus;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>corpus check</c>: the same facts as its JSON, as tables.</summary>
public static class CorpusReportView
{
    /// <summary>Problems beyond this many are counted, not listed (the JSON form lists them all).</summary>
    private const int ProblemsShown = 20;

    public static void Render(IAnsiConsole console, string root, CorpusReport report)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(root)}[/]").LeftJustified());

        var classes = new Table().Title("4-class set (exc merged into hap)").AddColumn("class").AddColumn(new TableColumn("utterances").RightAligned());
        foreach (var (code, count) in report.Classes) classes.AddRow(code, $"{count}");
        classes.AddRow("[bold]total[/]", $"[bold]{report.Utterances}[/]");

        var sessions = new Table().Title("per session (fold k tests on session k)").AddColumn("session").AddColumn(new TableColumn("utterances").RightAligned());
        foreach (var (session, count) in report.Sessions) sessions.AddRow(session, $"{count}");

        var raw = new Table().Title("raw labels, all utterances").AddColumn("label").AddColumn(new TableColumn("utterances").RightAligned());
        foreach (var (label, count) in report.RawLabels) raw.AddRow(label, $"{count}");

        console.Write(new Columns(classes, sessions, raw).Collapse());

        if (report.MissingAlignment.Count == 0)
            console.MarkupLine("Every utterance of the 4-class set has alignment files.");
        else
            console.MarkupLineInterpolated($"[yellow]{report.MissingAlignment.Count} utterance(s) of the 4-class set have no alignment files[/] (kept; their phone, syllable and word streams fall back to frames): {string.Join(", ", report.MissingAlignment)}");

        if (report.Problems.Count == 0)
        {
            console.MarkupLine("[green]No problems found.[/]");
            return;
        }
        var problems = new Table().Title($"{report.Problems.Count} problem(s)").AddColumn("file").AddColumn(new TableColumn("line").RightAligned()).AddColumn("problem").AddColumn("changes set");
        // Those that change the 4-class set first: they are what a reader must act on.
        foreach (var problem in report.Problems.OrderByDescending(p => p.ChangesClassSet).Take(ProblemsShown))
            problems.AddRow(Markup.Escape(problem.File), problem.Line?.ToString() ?? "", Markup.Escape(problem.Message), problem.ChangesClassSet ? "[red]yes[/]" : "no");
        console.Write(problems);
        if (report.Problems.Count > ProblemsShown)
            console.MarkupLineInterpolated($"... and {report.Problems.Count - ProblemsShown} more (all of them: corpus check --json).");
    }
}
