using Spectre.Console;
using System.CommandLine;
using Orchestrator.Client.Rendering;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Synthesis;
using Orchestrator.Models.Training;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator demo</c>: the README's main job, the whole method on one machine. It synthesises
/// an IEMOCAP-layout corpus (once), extracts features with the built-in encoders (once: the store is
/// reused), cross-validates a small grid under the paper's protocol (finished runs are kept and
/// not run again) and prints the UA table. Every step resumes where an interrupted demo stopped.
/// </summary>
public static class DemoCommand
{
    /// <summary>The grid: one modality each, late fusion, coattention; then their combination.</summary>
    public static readonly IReadOnlyList<ModelConfiguration> Grid =
    [
        ModelConfiguration.Of(ModelKind.Linear, [StreamKind.Text]),
        ModelConfiguration.Of(ModelKind.Linear, [StreamKind.Frame]),
        ModelConfiguration.Of(ModelKind.Late, [StreamKind.Text, StreamKind.Frame]),
        ModelConfiguration.Of(ModelKind.Coattention, [StreamKind.Text, StreamKind.Word]),
    ];

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the demo keeps its corpus, features and results.", DefaultValueFactory = _ => new DirectoryInfo("demo") };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic corpus.", DefaultValueFactory = _ => 1 };
        var utterances = new Option<int>("--utterances") { Description = "Labelled utterances to synthesise.", DefaultValueFactory = _ => CorpusCommands.DefaultUtterances };
        var repeats = new Option<int>("--repeats") { Description = "Repeats of the 5 leave-one-session-out folds (the paper: 5).", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Runs trained side by side (default: one per core).", DefaultValueFactory = _ => RunOptions.DefaultParallelism };
        var command = new Command("demo", "Run the method end to end on a synthetic corpus: synthesise, extract features, cross-validate a small grid, print the UA table.")
        { output, seed, utterances, repeats, parallel };
        command.SetAction((result, cancellation) => Task.FromResult(Run(result.GetValue(output)!, result.GetValue(seed), result.GetValue(utterances),
            result.GetValue(repeats), Math.Max(1, result.GetValue(parallel)), cancellation)));
        return command;
    }

    private static int Run(DirectoryInfo root, ulong seed, int utterances, int repeats, int parallelism, CancellationToken cancellation)
    {
        var corpus = new DirectoryInfo(Path.Combine(root.FullName, "corpus"));
        var store = new DirectoryInfo(Path.Combine(root.FullName, "features"));

        Terminal.Error.MarkupLine("[bold]1. The corpus[/]: IEMOCAP layout, synthesised speech, exact alignments");
        if (PrepareCorpus(corpus, seed, utterances) is { } failed) return failed;

        Terminal.Error.MarkupLine("[bold]2. Features[/]: built-in encoders, every layer, five streams (extracted once, then reused)");
        // The demo owns its store: features of an older built-in encoder are replaced, not refused.
        var extracted = FeaturesCommands.ExtractAsync(corpus, "builtin", "builtin", store, new ExtractionOptions(), overwrite: true, json: false, cancellation)
            .GetAwaiter().GetResult();
        if (extracted != 0) return extracted;

        RunOptions.UseThreads(1);
        var (featureStore, reader, cache) = RunOptions.OpenStore(store.FullName, StreamKinds.All);
        using var _ = featureStore;
        // One results folder per store and training protocol: runs of other features or of an older protocol are never reused.
        var results = new ResultsFolder(Path.Combine(root.FullName, "results", $"{featureStore.Fingerprint[..12]}-p{ResultsFolder.ProtocolVersion}")).For(featureStore.Fingerprint);
        Terminal.Error.MarkupLineInterpolated($"[bold]3. Cross-validation[/]: {Grid.Count} configurations x 5 folds x {repeats} repeat(s), finished runs kept in {results.Directory}");
        using var __ = cache;
        var data = new TrainingData(reader);
        var summaries = new List<CrossValidationSummary>();
        var runs = new Dictionary<string, IReadOnlyList<RunResult>>();
        foreach (var configuration in Grid)
        {
            runs[configuration.Key] = TrainingCommands.CrossValidate(data, configuration, repeats, results, store.FullName, parallelism, cancellation);
            summaries.Add(CrossValidationSummary.From(runs[configuration.Key]));
        }
        var combination = CrossValidationSummary.From(TrainingCommands.Combine(runs[Grid[3].Key], runs[Grid[2].Key]));
        summaries.Add(combination);

        Terminal.Error.MarkupLine("[bold]4. Results[/]");
        DemoView.Render(Terminal.Out, summaries);
        return 0;
    }

    private static int? PrepareCorpus(DirectoryInfo corpus, ulong seed, int utterances)
    {
        var manifest = Path.Combine(corpus.FullName, SynthesisManifest.FileName);
        if (Directory.Exists(corpus.FullName) && File.Exists(manifest) && SynthesisManifest.Read(manifest) is var existing
            && existing.Seed == seed && existing.Utterances == utterances)
        {
            Terminal.Error.MarkupLineInterpolated($"Reusing the demo corpus in [bold]{corpus.FullName}[/] (seed {seed}, {utterances} utterances).");
            return null;
        }
        if (Directory.Exists(corpus.FullName))
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{corpus.FullName} holds something other than the demo corpus with seed {seed} and {utterances} utterances: remove it or choose --out.[/]");
            return 1;
        }
        return CorpusCommands.Synthesize(corpus, seed, utterances) is null ? 1 : null;
    }
}
