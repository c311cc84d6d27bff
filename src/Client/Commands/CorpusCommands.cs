using System.CommandLine;

namespace Orchestrator.Client.Commands;

/// <summary><c>orchestrator corpus ...</c>: read, check and synthesise IEMOCAP-layout corpora.</summary>
public static class CorpusCommands
{
    public static Command Create() => new("corpus", "Read, check and synthesise IEMOCAP-layout corpora.");
}
