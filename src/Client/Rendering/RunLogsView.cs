using Orchestrator.Database;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The attempts of one run with what each printed (<c>run_logs</c>), under <c>sweep run RUN_ID</c>.</summary>
public static class RunLogsView
{
    /// <summary>Lines of the last attempt's log shown under the table; <c>--attempt N</c> prints a whole one.</summary>
    public const int ShownLines = 20;

    public static void Render(IAnsiConsole console, IReadOnlyList<RunLog> logs)
    {
        if (logs.Count == 0)
        {
            console.MarkupLine("[grey]No attempt log recorded (runs trained before logs were kept, or none ended yet).[/]");
            return;
        }
        var table = new Table().AddColumns("#", "attempt", "worker", "outcome", "ended", "lines kept", "left out", "error");
        for (var i = 0; i < logs.Count; i++)
        {
            var log = logs[i];
            var color = log.Outcome switch { RunLogOutcomes.Succeeded => "green", RunLogOutcomes.Failed => "red", _ => "yellow" };
            table.AddRow($"{i + 1}", $"{log.Attempt}", Markup.Escape(log.Worker), $"[{color}]{log.Outcome}[/]", $"{log.RecordedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}",
                $"{Lines(log.Log).Length}", $"{log.DroppedLines}", Markup.Escape(log.Error ?? ""));
        }
        console.Write(table);
        var last = logs[^1];
        var lines = Lines(last.Log);
        var shown = lines.TakeLast(ShownLines).ToArray();
        console.Write(new Panel(new Text(string.Join('\n', shown))) { Header = new PanelHeader(Markup.Escape(
            $"log #{logs.Count} (attempt {last.Attempt}), last {shown.Length} of {lines.Length + last.DroppedLines} lines; --attempt {logs.Count} prints all kept")), Expand = true });
    }

    /// <summary>The kept log of entry <paramref name="number"/> (from 1, as the table numbers them), as it was printed.</summary>
    public static string Text(IReadOnlyList<RunLog> logs, int number) =>
        number >= 1 && number <= logs.Count
            ? (logs[number - 1].DroppedLines > 0 ? $"[{logs[number - 1].DroppedLines} earlier lines left out]\n" : "") + logs[number - 1].Log
            : throw new ArgumentException($"--attempt {number}: the run has {logs.Count} recorded attempt log(s), numbered 1 to {logs.Count}.");

    private static string[] Lines(string log) => log.Length == 0 ? [] : log.TrimEnd('\n').Split('\n');
}
