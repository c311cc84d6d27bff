using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// Reads the summary lines of an EmoEvaluation file: a <c>%</c> header, then blocks separated
/// by blank lines, each opened by <c>[start - end]&lt;TAB&gt;id&lt;TAB&gt;cat&lt;TAB&gt;[v, a, d]</c>
/// and followed by annotator lines, which are ignored.
/// </summary>
public static partial class EmoEvaluationParser
{
    /// <summary>
    /// The summaries of <paramref name="lines"/>, in file order. Malformed summaries are left
    /// out and reported; an unknown category is reported but its entry kept, so that the
    /// utterance is still counted under its raw label.
    /// </summary>
    /// <param name="lines">The file's lines, line endings already removed.</param>
    /// <param name="file">The file's path relative to the corpus root, for problems.</param>
    /// <param name="problems">Receives what is wrong, with 1-based lines.</param>
    public static List<EmoEvaluationEntry> Parse(IReadOnlyList<string> lines, string file, ICollection<CorpusProblem> problems)
    {
        var entries = new List<EmoEvaluationEntry>();
        var atBlockStart = true;
        var sawContent = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var lineNumber = i + 1;
            if (line.Length == 0)
            {
                atBlockStart = true;
                continue;
            }

            if (!sawContent && line[0] != '%')
                problems.Add(new CorpusProblem(file, lineNumber, "expected a header line starting with '%'"));
            sawContent = true;

            if (line[0] == '%')
            {
                atBlockStart = true;
                continue;
            }

            if (line[0] == '[')
            {
                var entry = ParseSummary(line, lineNumber, file, problems);
                if (entry is not null)
                    entries.Add(entry);
            }
            else if (atBlockStart)
            {
                // An annotator line where a summary belongs: the block's utterance is lost, so say so.
                problems.Add(new CorpusProblem(file, lineNumber,
                    $"expected a summary line '[start - end] id category [v, a, d]' to open the block, found '{line}'", ChangesClassSet: true));
            }

            atBlockStart = false;
        }

        return entries;
    }

    private static EmoEvaluationEntry? ParseSummary(string line, int lineNumber, string file, ICollection<CorpusProblem> problems)
    {
        var match = Summary().Match(line);
        if (!match.Success)
        {
            problems.Add(new CorpusProblem(file, lineNumber,
                $"malformed summary line (expected '[start - end]<TAB>id<TAB>category<TAB>[v, a, d]'): '{line}'", ChangesClassSet: true));
            return null;
        }

        var start = double.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
        var end = double.Parse(match.Groups["end"].Value, CultureInfo.InvariantCulture);
        var id = match.Groups["id"].Value;
        var category = match.Groups["category"].Value;
        if (end < start)
            problems.Add(new CorpusProblem(file, lineNumber, $"{id}: time span ends ({end}) before it starts ({start})"));
        if (!EmotionLabels.RawCodes.Contains(category))
            problems.Add(new CorpusProblem(file, lineNumber, $"{id}: unknown category '{category}' (kept as its raw label)", ChangesClassSet: true));
        return new EmoEvaluationEntry(id, category, start, end, lineNumber);
    }

    [GeneratedRegex(@"^\[\s*(?<start>\d+(?:\.\d*)?)\s*-\s*(?<end>\d+(?:\.\d*)?)\s*\]\s+(?<id>\S+)\s+(?<category>\S+)\s+\[\s*-?\d+(?:\.\d*)?\s*,\s*-?\d+(?:\.\d*)?\s*,\s*-?\d+(?:\.\d*)?\s*\]$")]
    private static partial Regex Summary();
}
