namespace Orchestrator.Models.Corpus;

/// <summary>How far <see cref="IemocapCorpus.Read"/> has got: dialogs are read in parallel, each one counted when done.</summary>
/// <param name="DialogsRead">Dialogs finished so far.</param>
/// <param name="DialogsTotal">Dialogs found in the corpus.</param>
public sealed record CorpusReadProgress(int DialogsRead, int DialogsTotal);
