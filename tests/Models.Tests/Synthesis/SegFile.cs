using System.Text.RegularExpressions;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>A Sphinx-3 .phseg/.wdseg/.syseg parsed strictly by the layout iemocap-format.md describes.</summary>
internal sealed partial record SegFile(string Header, IReadOnlyList<SegFile.Row> Rows, long TotalScore)
{
    public sealed record Row(int Start, int End, int Score, string Label);

    public static SegFile Read(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Matches(HeaderPattern(), lines[0]);
        var footer = FooterPattern().Match(lines[^1]);
        Assert.True(footer.Success, $"{path}: footer '{lines[^1]}'");
        var rows = lines[1..^1].Select(line =>
        {
            var m = RowPattern().Match(line);
            Assert.True(m.Success, $"{path}: row '{line}'");
            return new Row(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[4].Value);
        }).ToList();
        return new SegFile(lines[0], rows, long.Parse(footer.Groups[1].Value));
    }

    [GeneratedRegex(@"^\tSFrm  EFrm    SegAScr (Phone|Word|Syllable)$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^\t +(\d+) +(\d+) +(-\d+) (\S.*)$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"^ Total score: +(-?\d+)$")]
    private static partial Regex FooterPattern();
}
