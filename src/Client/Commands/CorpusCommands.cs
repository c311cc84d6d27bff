using Spectre.Console;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
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
        CreateSynthWorker(),
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
        var parallel = new Option<int>("--parallel")
        {
            Description = "Processes synthesising side by side (default: one per core; 1 synthesises in this process). The bytes are the same for any number.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        }.AtLeast(1, "process");
        var command = new Command("synth", "Write a synthetic corpus in the IEMOCAP layout, with synthesised speech and exact alignments.") { output, seed, utterances, parallel };
        // Off the invoking thread: System.CommandLine turns Ctrl+C into cancellation only once the action has
        // returned its task, and synthesis must see it to stop its workers and remove the partial folder.
        command.SetAction((result, cancellation) => Task.Run(() =>
            Run(result.GetValue(output)!, result.GetValue(seed), result.GetValue(utterances), result.GetValue(parallel), cancellation), CancellationToken.None));
        return command;
    }

    /// <summary>
    /// One worker of a parallel synth (<see cref="SynthesisWorker"/>): jobs on standard input, answers on
    /// standard output. Hidden: only <c>corpus synth</c> starts it.
    /// </summary>
    private static Command CreateSynthWorker()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The corpus folder being written." };
        var command = new Command("synth-worker", "Synthesise the utterances sent on standard input into FOLDER (started by corpus synth).") { folder };
        command.Hidden = true;
        command.SetAction(result =>
        {
            // Ctrl+C reaches the whole process group; the parent decides, and kills its workers when it stops.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            using var jobs = new StreamReader(Console.OpenStandardInput(), utf8);
            using var answers = new StreamWriter(Console.OpenStandardOutput(), utf8);
            SynthesisWorker.Serve(result.GetValue(folder)!.FullName, jobs, answers);
            return 0;
        });
        return command;
    }

    /// <summary>The command line that starts one synthesis worker: this program's hidden <c>corpus synth-worker</c>.</summary>
    private static string[] WorkerCommand()
    {
        var program = Environment.ProcessPath!;
        string[] entry = Path.GetFileNameWithoutExtension(program) == "dotnet" ? [typeof(CorpusCommands).Assembly.Location] : [];
        return [program, .. entry, "corpus", "synth-worker"];
    }

    private static int Run(DirectoryInfo output, ulong seed, int utterances, int parallelism, CancellationToken cancellation)
    {
        try
        {
            return Synthesize(output, seed, utterances, parallelism, cancellation) is null ? 1 : 0;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error.MarkupLine("[yellow]Stopped: no corpus was written.[/]");
            return 130;
        }
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

    /// <summary>
    /// Writes a synthetic corpus with a progress bar, in <paramref name="parallelism"/> worker processes (in this
    /// one when 1); null (after printing why) when it cannot. Throws <see cref="OperationCanceledException"/>
    /// when cancelled, having written nothing.
    /// </summary>
    public static SyntheticCorpusReport? Synthesize(DirectoryInfo output, ulong seed, int utterances, int parallelism, CancellationToken cancellation)
    {
        if (output.Exists)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{output.FullName} exists already: choose a new folder (nothing was written).[/]");
            return null;
        }
        try
        {
            var options = new SyntheticCorpusOptions { Seed = seed, Utterances = utterances };
            var workers = parallelism > 1 ? new SynthesisWorkers(WorkerCommand(), parallelism) : null;
            var report = Terminal.WithProgress("Synthesising utterances", utterances, progress =>
                SyntheticCorpus.Write(output.FullName, options, workers, progress, cancellation));
            var processes = workers is null ? "1 process" : $"{Math.Min(parallelism, utterances)} processes";
            Terminal.Error.MarkupLineInterpolated(
                $"Wrote {report.Manifest.Utterances} utterances to [bold]{report.Root}[/] in {report.Elapsed.TotalSeconds:0.0} s ({report.MillisecondsPerUtterance:0} ms per utterance, {processes}).");
            return report;
        }
        catch (Exception error) when (error is FliteNotAvailableException or ArgumentException or IOException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return null;
        }
    }
}
