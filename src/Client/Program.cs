using System.CommandLine;
using Orchestrator.Client.Commands;

var root = new RootCommand("Orchestrator: multimodal emotion recognition experiments (wav2vec 2.0 + BERT, multi-level fusion) at scale.")
{
    CorpusCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
