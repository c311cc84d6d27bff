namespace Orchestrator.Models.Corpus;

/// <summary>The summary line of one block of an EmoEvaluation file.</summary>
/// <param name="Id">The utterance id as written (not yet validated).</param>
/// <param name="Category">The consensus category as written (neu, exc, xxx, ...).</param>
/// <param name="Start">Start of the utterance in the dialog, seconds.</param>
/// <param name="End">End of the utterance in the dialog, seconds.</param>
/// <param name="Line">1-based line of the summary in its file, for problems found later.</param>
public sealed record EmoEvaluationEntry(string Id, string Category, double Start, double End, int Line);
