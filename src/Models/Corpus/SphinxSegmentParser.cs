using System.Globalization;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// Reads Sphinx-3 segmentation output (<c>.phseg</c>, <c>.wdseg</c>, <c>.syseg</c>): a header
/// <c>&lt;TAB&gt;SFrm  EFrm    SegAScr Phone</c>, rows <c>&lt;TAB&gt;SFrm EFrm score label</c>
/// separated by runs of spaces, and a footer <c> Total score: N</c>.
/// </summary>
public static class SphinxSegmentParser
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>
    /// The segments of <paramref name="lines"/> in file order. A malformed row is reported and
    /// left out, so the segments that remain are always ordered and non-overlapping.
    /// </summary>
    /// <param name="lines">The file's lines, line endings already removed.</param>
    /// <param name="kind">Which file this is: decides how the label reads.</param>
    /// <param name="file">The file's path relative to the corpus root, for problems.</param>
    /// <param name="problems">Receives what is wrong, with 1-based lines.</param>
    public static List<AlignedSegment> Parse(IReadOnlyList<string> lines, SegmentLabelKind kind, string file, ICollection<CorpusProblem> problems)
    {
        var segments = new List<AlignedSegment>();
        var sawHeader = false;
        var footerLine = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var lineNumber = i + 1;
            if (line.Length == 0)
                continue;

            if (footerLine > 0)
            {
                problems.Add(new CorpusProblem(file, lineNumber, $"text after the 'Total score' footer on line {footerLine}: '{line}'"));
                continue;
            }

            if (line.StartsWith("Total score", StringComparison.OrdinalIgnoreCase))
            {
                footerLine = lineNumber;
                continue;
            }

            if (!sawHeader)
            {
                sawHeader = true;
                if (line.StartsWith("SFrm", StringComparison.OrdinalIgnoreCase))
                    continue;
                problems.Add(new CorpusProblem(file, lineNumber, "expected the header 'SFrm EFrm SegAScr ...' before the first row"));
            }

            var segment = ParseRow(line, kind, segments.Count > 0 ? segments[^1] : null, file, lineNumber, problems);
            if (segment is not null)
                segments.Add(segment);
        }

        if (footerLine == 0)
            problems.Add(new CorpusProblem(file, null, "no 'Total score' footer: the file may be truncated"));
        return segments;
    }

    private static AlignedSegment? ParseRow(
        string line, SegmentLabelKind kind, AlignedSegment? previous, string file, int lineNumber, ICollection<CorpusProblem> problems)
    {
        var fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        string? error = null;
        if (fields.Length < 4)
            error = "expected 'SFrm EFrm score label'";
        else if (!TryFrame(fields[0], out var start) || !TryFrame(fields[1], out var end))
            error = "frames must be non-negative integers";
        else if (!int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            error = "the acoustic score must be an integer";
        else if (end < start)
            error = $"ends (frame {end}) before it starts (frame {start})";
        else if (previous is not null && start <= previous.EndFrame)
            error = $"out of order: starts at frame {start}, not after the previous row's end frame {previous.EndFrame}";
        else
        {
            var label = SegmentLabels.Normalise(fields[3..], kind);
            return new AlignedSegment(label, start, end, SegmentLabels.IsSilence(label));
        }

        problems.Add(new CorpusProblem(file, lineNumber, $"malformed row, {error}: '{line}'"));
        return null;
    }

    private static bool TryFrame(string text, out int frame) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out frame);
}
