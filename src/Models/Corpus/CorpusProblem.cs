namespace Orchestrator.Models.Corpus;

/// <summary>Something malformed or missing in a corpus, located as precisely as the reader can.</summary>
/// <param name="File">Path of the offending file (or folder), relative to the corpus root.</param>
/// <param name="Line">1-based line number, or null when the problem concerns the whole file.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
/// <param name="ChangesClassSet">
/// Whether it drops or mislabels utterances (a missing wav, session or EmoEvaluation file, an
/// unreadable summary line, an unknown category), so that the 4-class set read is not the
/// release's; false for findings that leave the set as it is (a missing alignment or transcript
/// line, a wav nobody labelled): <c>corpus check</c> exits 1 only for the former.
/// </param>
public sealed record CorpusProblem(string File, int? Line, string Message, bool ChangesClassSet = false);
