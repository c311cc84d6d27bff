using Spectre.Console;
using System.CommandLine;
using Orchestrator.Client.Rendering;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Client.Commands;

/// <summary><c>orchestrator corpus ...</c>: read, check and synthesise IEMOCAP-layout corpora.</summary>
public static class CorpusCommands
{
    /// <summary>About 55 % of IEMOCAP's labels are in the 4-class set: 3600 gives ~2000 usable utterances,
    /// the size at which the protocol's models learn rather than stop early at chance.</summary>
    public const int DefaultUtterances = 3600;

    public static Command Create() => new("corpus", "Read, check and synthesise IEMOCAP-layout corpora.")
    {
        CreateCheck(),
        CreateSynth(),
    };

    private static Command CreateCheck()
    {
        // --corpus as in features extract; --iemocap, its first name, stays as an alias.
        var root = new Option<DirectoryInfo>("--corpus", "--iemocap") { Description = "Root of an IEMOCAP-layout corpus (holding Session1..Session5).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("check", "Read a corpus exactly as released and report its counts, missing alignments and problems; exits 1 when a problem changes the 4-class set (missing wavs, unreadable labels).") { root, json };
        command.SetAction(result => Check(result.GetValue(root)!, result.GetValue(json)));
        return command;
    }

    private static Command CreateSynth()
    {
        // One name for one thing: a corpus folder is --corpus everywhere; --out (a file elsewhere) stays as an alias.
        var output = new Option<DirectoryInfo>("--corpus", "--out") { Description = "The corpus folder to create; it must not exist yet.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed gives the same bytes.", DefaultValueFactory = _ => 1 };
        var utterances = new Option<int>("--utterances") { Description = "Labelled utterances in all (about 55 % fall in the 4-class set).", DefaultValueFactory = _ => DefaultUtterances  }.AtLeast(1, "utterance");
        var command = new Command("synth", "Write a synthetic corpus in the IEMOCAP layout, with synthesised speech and exact alignments.") { output, seed, utterances };
        command.SetAction(result => Synthesize(result.GetValue(output)!, result.GetValue(seed), result.GetValue(utterances)) is null ? 1 : 0);
        return command;
    }

    /// <summary>Reports the corpus; 1 when a problem changes the 4-class set (missing wavs, unreadable labels), else 0.</summary>
    public static int Check(DirectoryInfo root, bool json)
    {
        if (!Directory.Exists(root.FullName)) // not root.Exists: cached, and stale right after corpus synth
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{root.FullName}: no such folder[/]");
            return 1;
        }

        var corpus = Terminal.WithProgress("Reading dialogs", progress =>
            IemocapCorpus.Read(root.FullName, new CallbackProgress<CorpusReadProgress>(p => progress.Report((p.DialogsRead, p.DialogsTotal)))));
        var report = CorpusReport.From(corpus);
        // Straight to the writer: Spectre would wrap long lines at the console's width.
        if (json) Terminal.Out.Profile.Out.Writer.WriteLine(report.ToJson());
        else CorpusReportView.Render(Terminal.Out, root.FullName, report);
        // Exit 1 only for what changes the 4-class set: a pipeline checks the corpus before extracting.
        var changing = report.Problems.Count(p => p.ChangesClassSet);
        if (changing == 0) return 0;
        Terminal.Error.MarkupLineInterpolated(
            $"[red]{changing} problem(s) change the 4-class set (marked \"yes\" under \"changes set\"; \"changes_class_set\" in --json): the counts above are not the release's. The other {report.Problems.Count - changing} are informational.[/]");
        return 1;
    }

    /// <summary>Writes a synthetic corpus with a progress bar; null (after printing why) when it cannot.</summary>
    public static SyntheticCorpusReport? Synthesize(DirectoryInfo output, ulong seed, int utterances)
    {
        if (output.Exists)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{output.FullName} exists already: choose a new folder (nothing was written).[/]");
            return null;
        }
        try
        {
            var options = new SyntheticCorpusOptions { Seed = seed, Utterances = utterances };
            var report = Terminal.WithProgress("Synthesising utterances", utterances, progress =>
                SyntheticCorpus.Write(output.FullName, options, progress));
            Terminal.Error.MarkupLineInterpolated(
                $"Wrote {report.Manifest.Utterances} utterances to [bold]{report.Root}[/] in {report.Elapsed.TotalSeconds:0.0} s ({report.MillisecondsPerUtterance:0} ms per utterance).");
            return report;
        }
        catch (Exception error) when (error is FliteNotAvailableException or ArgumentException or IOException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return null;
        }
    }
}
