using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Contracts.Sweeps;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>
/// The output of <c>sweep runs</c> (one row per run, each configuration's UA under the table, failed
/// attempts' log tails on request) and of <c>sweep run</c> (one run whole). JSON gives every field
/// of every run, times in UTC and UA as a fraction; humans see UA in percent.
/// </summary>
public static class RunsView
{
    public static void Render(IAnsiConsole console, long sweepId, IReadOnlyList<ConfigurationStatus> configurations, RunState? state, bool log)
    {
        var runs = Select(configurations, state);
        var filter = state is { } s ? $" {Name(s)}" : "";
        if (runs.Count == 0)
        {
            console.MarkupLine($"Sweep {sweepId} has no{filter} runs{Of(configurations)}.");
            return;
        }
        var table = new Table().Title($"sweep {sweepId}: {runs.Count}{filter} runs{Of(configurations)}")
            .AddColumn(new TableColumn("run").RightAligned()).AddColumn("configuration").AddColumn(new TableColumn("fold").RightAligned())
            .AddColumn(new TableColumn("repeat").RightAligned()).AddColumn("state").AddColumn(new TableColumn("attempt").RightAligned())
            .AddColumn("worker").AddColumn(new TableColumn("epoch").RightAligned()).AddColumn(new TableColumn("UA").RightAligned()).AddColumn("error");
        foreach (var r in runs)
            table.AddRow($"{r.Id}", Markup.Escape(r.ConfigurationKey), $"{r.Fold}", $"{r.Repeat}", State(r.State), $"{r.Attempt}/{r.MaxAttempts}",
                Markup.Escape(r.Worker ?? ""), r.Epoch is { } epoch ? $"{epoch}" : "", Percent(r.UnweightedAccuracy), Error(r));
        console.Write(table);
        foreach (var c in configurations)
            console.MarkupLine($"{Markup.Escape(c.Key)}: UA {Score(c.UnweightedAccuracy)} over {c.UnweightedAccuracy.Runs} of {c.Runs.Count} runs");
        if (!log) return;
        foreach (var r in runs.Where(r => !string.IsNullOrEmpty(r.LogTail)))
            console.Write(LogPanel(r));
    }

    /// <summary>One run whole: identity, life, times, UA, and the last failed attempt's reason and log tail.</summary>
    public static void RenderRun(IAnsiConsole console, RunStatus run)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow($"[grey]{name}[/]", value);
        Row("run", $"{run.Id}");
        Row("configuration", Markup.Escape(run.ConfigurationKey));
        Row("fold, repeat", $"{run.Fold}, {run.Repeat}");
        Row("store", Markup.Escape(run.StoreFingerprint));
        Row("state", State(run.State));
        Row("attempt", $"{run.Attempt} of {run.MaxAttempts}");
        Row("worker", Markup.Escape(run.Worker ?? "none yet"));
        Row("epoch", run.Epoch is { } epoch ? $"{epoch}" : "none reported");
        Row("queued", Time(run.QueuedAt));
        Row("started", run.StartedAt is { } started ? Time(started) : "");
        Row("finished", run.FinishedAt is { } finished ? $"{Time(finished)}{(run.StartedAt is { } from ? $" ({(finished - from).TotalSeconds:0.0} s)" : "")}" : "");
        Row("UA", Percent(run.UnweightedAccuracy));
        if (run.Error is { } error) Row(run.State == RunState.Failed ? "error" : "last failed attempt", $"[red]{Markup.Escape(error)}[/]");
        console.Write(grid);
        if (!string.IsNullOrEmpty(run.LogTail)) console.Write(LogPanel(run));
    }

    /// <summary>The runs as a JSON array, one object per run.</summary>
    public static string Json(IEnumerable<RunStatus> runs)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var r in runs)
            {
                json.WriteStartObject();
                json.WriteNumber("id", r.Id);
                json.WriteString("configuration", r.ConfigurationKey);
                json.WriteNumber("fold", r.Fold);
                json.WriteNumber("repeat", r.Repeat);
                json.WriteString("state", Name(r.State));
                json.WriteNumber("attempt", r.Attempt);
                json.WriteNumber("max_attempts", r.MaxAttempts);
                Write(json, "worker", r.Worker);
                if (r.Epoch is { } epoch) json.WriteNumber("epoch", epoch); else json.WriteNull("epoch");
                if (r.UnweightedAccuracy is { } ua) json.WriteNumber("ua", ua); else json.WriteNull("ua");
                Write(json, "error", r.Error);
                Write(json, "log_tail", r.LogTail);
                Write(json, "queued_at", r.QueuedAt.ToString("O", CultureInfo.InvariantCulture));
                Write(json, "started_at", r.StartedAt?.ToString("O", CultureInfo.InvariantCulture));
                Write(json, "finished_at", r.FinishedAt?.ToString("O", CultureInfo.InvariantCulture));
                json.WriteString("store", r.StoreFingerprint);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The runs of <paramref name="configurations"/> in <paramref name="state"/> (all when null), in configuration order, then by repeat and fold.</summary>
    public static IReadOnlyList<RunStatus> Select(IReadOnlyList<ConfigurationStatus> configurations, RunState? state) =>
        configurations.SelectMany(c => c.Runs).Where(r => state is null || r.State == state).ToList();

    /// <summary>A state as the command line and JSON spell it.</summary>
    public static string Name(RunState state) => state.ToString().ToLowerInvariant();

    private static string Of(IReadOnlyList<ConfigurationStatus> configurations) =>
        configurations.Count == 1 ? $" of {Markup.Escape(configurations[0].Key)}" : "";

    private static Panel LogPanel(RunStatus run) =>
        new Panel(new Text(run.LogTail!)) { Header = new PanelHeader(Markup.Escape($"run {run.Id}: {run.ConfigurationKey} fold {run.Fold} repeat {run.Repeat}, log tail of attempt {run.Attempt}")) };

    /// <summary>The first line of the last failed attempt's reason: red when the run failed for good, grey when it was retried.</summary>
    private static string Error(RunStatus run)
    {
        if (run.Error is not { } error) return "";
        var line = Markup.Escape(error.Split('\n', 2)[0].TrimEnd('\r'));
        return run.State == RunState.Failed ? $"[red]{line}[/]" : $"[grey]{line}[/]";
    }

    private static string Score(ScoreSummary score) => score.Mean is not { } mean ? "-"
        : score.StandardDeviation is { } sd ? $"{100 * mean:0.00} ± {100 * sd:0.00}" : $"{100 * mean:0.00}";

    private static string Percent(double? fraction) => fraction is { } f ? $"{100 * f:0.00}" : "";

    private static string Time(DateTimeOffset time) => $"{time.ToLocalTime():yyyy-MM-dd HH:mm:ss}";

    private static void Write(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static string State(RunState state) => state switch
    {
        RunState.Succeeded => "[green]succeeded[/]",
        RunState.Running => "[blue]running[/]",
        RunState.Leased => "[blue]leased[/]",
        RunState.Failed => "[red]failed[/]",
        RunState.Cancelled => "[yellow]cancelled[/]",
        _ => "queued",
    };
}
