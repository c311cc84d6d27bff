namespace Orchestrator.Models.Corpus;

/// <summary>One utterance line of a transcriptions file.</summary>
/// <param name="Id">The utterance id as written (not yet validated).</param>
/// <param name="Text">The transcript as released, bracketed tags such as <c>[LAUGHTER]</c> kept.</param>
/// <param name="Line">1-based line in its file, for problems found later.</param>
public sealed record TranscriptLine(string Id, string Text, int Line);
