using Orchestrator.Models.Features.Store;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>features inspect</c>.</summary>
public static class StoreSummaryView
{
    public static void Render(IAnsiConsole console, StoreSummary summary)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(summary.Directory)}[/]").LeftJustified());
        // The state's markup is ours, so it goes in as markup; interpolated values would be escaped.
        console.Markup(summary.Complete ? "[green]complete[/]" : "[yellow]incomplete (an extraction stopped or failed; run it again to finish)[/]");
        console.MarkupLineInterpolated($", {summary.Utterances} utterances, {summary.Shards} shard(s), {summary.Bytes / 1e6:0.0} MB, {summary.DType}, fingerprint {summary.Fingerprint[..Math.Min(16, summary.Fingerprint.Length)]}");
        foreach (var encoder in summary.Encoders)
            console.MarkupLine($"  {Markup.Escape(encoder.Name)}{(encoder.Untrained ? " [yellow](built-in, NOT PRE-TRAINED)[/]" : "")}  {Markup.Escape(encoder.Path)}");
        console.MarkupLineInterpolated($"  speech layers {string.Join(",", summary.SpeechLayers)} x {summary.SpeechWidth}; text layers {string.Join(",", summary.TextLayers)} x {summary.TextWidth}");
        console.MarkupLineInterpolated($"  options: {string.Join(", ", summary.Options.Select(o => $"{o.Key}={o.Value}"))}");

        var streams = new Table().Title("streams").AddColumn("stream").AddColumn(new TableColumn("utterances").RightAligned())
            .AddColumn(new TableColumn("mean length").RightAligned()).AddColumn(new TableColumn("max length").RightAligned());
        foreach (var s in summary.Streams) streams.AddRow(s.Stream, $"{s.Utterances}", $"{s.MeanLength:0.0}", $"{s.MaxLength}");
        var sessions = new Table().Title("sessions").AddColumn("session").AddColumn(new TableColumn("utterances").RightAligned());
        foreach (var (session, count) in summary.Sessions) sessions.AddRow(session, $"{count}");
        var classes = new Table().Title("classes").AddColumn("class").AddColumn(new TableColumn("utterances").RightAligned());
        foreach (var (label, count) in summary.Classes) classes.AddRow(label, $"{count}");
        console.Write(new Columns(streams, sessions, classes).Collapse());
        if (summary.Report is { } report)
            console.MarkupLineInterpolated($"Last extraction: {report.Extracted} encoded, {report.Reused} reused, {report.NoAlignment} without alignment, {report.Failed.Count} failed, {report.UtterancesPerSecond:0.0} utterances/s.");
        console.MarkupLineInterpolated($"The same settings for IEMOCAP's 4-class set: {summary.IemocapEstimate}.");
    }
}
