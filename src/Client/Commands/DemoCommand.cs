using Spectre.Console;
using System.CommandLine;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator demo</c>: the README's main job. Today it synthesises the demo corpus (once; a
/// corpus already there with the same seed and size is reused) and checks it; feature extraction
/// and the cross-validated grid join it as they are built.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Where the demo keeps its corpus.", DefaultValueFactory = _ => new DirectoryInfo("demo/corpus") };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic corpus.", DefaultValueFactory = _ => 1 };
        var utterances = new Option<int>("--utterances") { Description = "Labelled utterances to synthesise.", DefaultValueFactory = _ => CorpusCommands.DefaultUtterances };
        var command = new Command("demo", "Run the local demo: synthesise an IEMOCAP-layout corpus, then check it.") { output, seed, utterances };
        command.SetAction(result => Run(result.GetValue(output)!, result.GetValue(seed), result.GetValue(utterances)));
        return command;
    }

    private static int Run(DirectoryInfo corpus, ulong seed, int utterances)
    {
        var manifest = Path.Combine(corpus.FullName, SynthesisManifest.FileName);
        if (corpus.Exists && File.Exists(manifest) && SynthesisManifest.Read(manifest) is var existing
            && existing.Seed == seed && existing.Utterances == utterances)
        {
            Terminal.Error.MarkupLineInterpolated($"Reusing the demo corpus in [bold]{corpus.FullName}[/] (seed {seed}, {utterances} utterances).");
        }
        else
        {
            if (corpus.Exists)
            {
                Terminal.Error.MarkupLineInterpolated($"[red]{corpus.FullName} holds something other than the demo corpus with seed {seed} and {utterances} utterances: remove it or choose --out.[/]");
                return 1;
            }
            Terminal.Error.MarkupLine("[bold]1. Synthesising the demo corpus[/] (IEMOCAP layout, real synthesised speech, exact alignments)");
            if (CorpusCommands.Synthesize(corpus, seed, utterances) is null) return 1;
        }

        Terminal.Error.MarkupLine("[bold]2. Checking it as IEMOCAP is checked[/]");
        return CorpusCommands.Check(corpus, json: false);
    }
}
