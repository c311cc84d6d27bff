using System.CommandLine;
using Orchestrator.Client.Commands;

namespace Orchestrator.Client;

/// <summary>The command tree of <c>orchestrator</c>; Program runs it, tests invoke it in-process.</summary>
public static class CliApp
{
    public static RootCommand Build() =>
        new RootCommand("Orchestrator: multimodal emotion recognition experiments (wav2vec 2.0 + BERT, multi-level fusion) at scale.")
        {
            CorpusCommands.Create(),
            EncodeCommand.Create(),
            FeaturesCommands.Create(),
            ResultsCommand.Create(),
        }.With(TrainingCommands.Create()).With([DemoCommand.Create()]).With(SweepCommands.Create()).With([SiloCommand.Create(), DatabaseCommand.Create()]).WithExamples();

    private static RootCommand With(this RootCommand root, IEnumerable<Command> commands)
    {
        foreach (var command in commands) root.Subcommands.Add(command);
        return root;
    }
}
