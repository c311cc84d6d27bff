using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Extraction;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>features extract</c>'s report.</summary>
public static class ExtractionReportView
{
    private const int FailuresShown = 10;

    public static void Render(IAnsiConsole console, string store, ExtractionReport report)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(store)}[/]").LeftJustified());
        if (report.CacheHit)
            console.MarkupLineInterpolated($"[green]Up to date:[/] all {report.Utterances} utterances were already stored with these encoders and options; nothing was encoded ({report.WallSeconds:0.0} s to check).");
        else
            console.MarkupLineInterpolated($"Extracted {report.Extracted} utterance(s) ({report.AudioSeconds / 60:0.0} min of audio) in {report.WallSeconds:0.0} s: {report.UtterancesPerSecond:0.0} utterances/s, {report.AudioSecondsPerSecond:0.0} s of audio per second; {report.Reused} reused from the store.");

        if (report.Segments.Count > 0)
        {
            var table = new Table().Title("segments per stream").AddColumn("stream")
                .AddColumn(new TableColumn("pooled").RightAligned()).AddColumn(new TableColumn("silence dropped").RightAligned())
                .AddColumn(new TableColumn("nearest frame").RightAligned()).AddColumn(new TableColumn("clipped at end").RightAligned())
                .AddColumn(new TableColumn("utterances without it").RightAligned());
            foreach (var kind in StreamKinds.Segmental.Select(k => k.Name()))
                table.AddRow(kind, $"{report.Segments.GetValueOrDefault(kind)}", $"{report.SilenceDropped.GetValueOrDefault(kind)}",
                    $"{report.NearestFrame.GetValueOrDefault(kind)}", $"{report.Clipped.GetValueOrDefault(kind)}",
                    $"{report.StreamAbsent.GetValueOrDefault(kind) + report.NoAlignment}");
            console.Write(table);
        }
        if (report.NoAlignment > 0) console.MarkupLineInterpolated($"[yellow]{report.NoAlignment} utterance(s) without alignment: no phone, syllable or word streams; models fall back to frames for them.[/]");
        if (report.SyllablesFromPhones > 0) console.MarkupLineInterpolated($"{report.SyllablesFromPhones} utterance(s) had no syllable alignment: syllables grouped from phones around vowel nuclei.");
        if (report.TruncatedTexts > 0) console.MarkupLineInterpolated($"[yellow]{report.TruncatedTexts} transcript(s) were longer than BERT's maximum length and were truncated.[/]");
        if (report.EmptyTranscripts > 0) console.MarkupLineInterpolated($"[yellow]{report.EmptyTranscripts} transcript(s) had no words: their text stream holds [[CLS]] and [[SEP]].[/]");
        if (report.UntrainedEncoders) console.MarkupLine("[yellow]These features come from built-in encoders that are NOT PRE-TRAINED: they exercise the pipeline, they are not results.[/]");
        if (report.Failed.Count > 0)
        {
            console.MarkupLineInterpolated($"[red]{report.Failed.Count} utterance(s) failed and were not stored (the next run retries them):[/]");
            foreach (var failure in report.Failed.Take(FailuresShown)) console.MarkupLineInterpolated($"[red]  {failure}[/]");
            if (report.Failed.Count > FailuresShown) console.MarkupLineInterpolated($"[red]  ... and {report.Failed.Count - FailuresShown} more (--json lists them all).[/]");
        }
        console.MarkupLineInterpolated($"Store: {report.StoreBytes / 1e6:0.0} MB, fingerprint {report.Fingerprint[..Math.Min(16, report.Fingerprint.Length)]}.");
    }
}
