using System.Text.RegularExpressions;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// Reads a transcriptions file: lines <c>Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.</c>.
/// Lines whose first field does not start with <c>Ses</c> (the release's <c>M_XXX</c>-style
/// turns outside any utterance) are skipped.
/// </summary>
public static partial class TranscriptionParser
{
    /// <summary>The utterance lines of <paramref name="lines"/>, in file order; malformed ones are reported and left out.</summary>
    /// <param name="lines">The file's lines, line endings already removed.</param>
    /// <param name="file">The file's path relative to the corpus root, for problems.</param>
    /// <param name="problems">Receives what is wrong, with 1-based lines.</param>
    public static List<TranscriptLine> Parse(IReadOnlyList<string> lines, string file, ICollection<CorpusProblem> problems)
    {
        var result = new List<TranscriptLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("Ses", StringComparison.Ordinal))
                continue;

            var match = Utterance().Match(line);
            if (match.Success)
                result.Add(new TranscriptLine(match.Groups["id"].Value, match.Groups["text"].Value.Trim(), i + 1));
            else
                problems.Add(new CorpusProblem(file, i + 1, $"malformed transcription line (expected 'id [start-end]: text'): '{line}'"));
        }

        return result;
    }

    [GeneratedRegex(@"^(?<id>\S+)\s*\[\s*\d+(?:\.\d*)?\s*-\s*\d+(?:\.\d*)?\s*\]\s*:(?<text>.*)$")]
    private static partial Regex Utterance();
}
