namespace Orchestrator.Models.Corpus;

/// <summary>Something malformed or missing in a corpus, located as precisely as the reader can.</summary>
/// <param name="File">Path of the offending file (or folder), relative to the corpus root.</param>
/// <param name="Line">1-based line number, or null when the problem concerns the whole file.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
public sealed record CorpusProblem(string File, int? Line, string Message);
