using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class SphinxSegmentParserTests
{
    private const string File = "x.phseg";

    private static (List<AlignedSegment> Segments, List<CorpusProblem> Problems) Parse(SegmentLabelKind kind, params string[] lines)
    {
        var problems = new List<CorpusProblem>();
        return (SphinxSegmentParser.Parse(lines, kind, File, problems), problems);
    }

    [Fact]
    public void Keeps_the_phone_of_a_context_dependent_label()
    {
        // Act
        var (segments, problems) = Parse(SegmentLabelKind.Phone,
            "\tSFrm  EFrm    SegAScr Phone", "\t  13    18     -50321 W AH SIL b", " Total score: -50321");

        // Assert
        Assert.Empty(problems);
        Assert.Equal([new AlignedSegment("W", 13, 18, false)], segments);
        Assert.Equal(0.13, segments[0].Start, 9);
        Assert.Equal(0.19, segments[0].End, 9);
    }

    [Fact]
    public void Strips_pronunciation_variants_from_every_token_of_a_syllable()
    {
        // Act
        var (segments, _) = Parse(SegmentLabelKind.Syllable,
            "\tSFrm  EFrm    SegAScr Syllable", "\t   0     9      -1000 W(2) AH T", "\t  10    19      -1000 wat", " Total score: -2000");

        // Assert
        Assert.Equal(["W AH T", "wat"], segments.Select(s => s.Label));
    }

    [Theory]
    [InlineData("SIL", true)]
    [InlineData("<s>", true)]
    [InlineData("</s>", true)]
    [InlineData("<sil>", true)]
    [InlineData("++BREATHING++", true)]
    [InlineData("+BREATH+", true)]
    [InlineData("SILLY", false)]
    [InlineData("+", false)]
    public void Tells_silence_and_noise_from_speech(string label, bool silence)
    {
        // Act + Assert
        Assert.Equal(silence, SegmentLabels.IsSilence(label));
    }

    [Theory]
    [InlineData("\t  10     9      -1000 AH", "ends (frame 9) before it starts (frame 10)")]
    [InlineData("\t  10    1a      -1000 AH", "frames must be non-negative integers")]
    [InlineData("\t  -1    19      -1000 AH", "frames must be non-negative integers")]
    [InlineData("\t  10    19      -1.5 AH", "the acoustic score must be an integer")]
    [InlineData("\t  10    19      -1000", "expected 'SFrm EFrm score label'")]
    [InlineData("\t   5    19      -1000 AH", "out of order: starts at frame 5, not after the previous row's end frame 9")]
    public void Drops_a_malformed_row_and_reports_its_line(string row, string reason)
    {
        // Act
        var (segments, problems) = Parse(SegmentLabelKind.Phone,
            "\tSFrm  EFrm    SegAScr Phone", "\t   0     9      -1000 SIL", row, "\t  20    29      -1000 SIL", " Total score: -3000");

        // Assert
        Assert.Equal([0, 20], segments.Select(s => s.StartFrame));
        Assert.Equal([new CorpusProblem(File, 3, $"malformed row, {reason}: '{row.Trim()}'")], problems);
    }

    [Fact]
    public void Reports_a_file_without_footer_as_possibly_truncated()
    {
        // Act
        var (segments, problems) = Parse(SegmentLabelKind.Word, "\tSFrm  EFrm    SegAScr Word", "\t   0     9      -1000 <s>");

        // Assert
        Assert.Single(segments);
        Assert.Equal([new CorpusProblem(File, null, "no 'Total score' footer: the file may be truncated")], problems);
    }

    [Fact]
    public void Reports_a_missing_header_but_still_reads_the_rows()
    {
        // Act
        var (segments, problems) = Parse(SegmentLabelKind.Word, "\t   0     9      -1000 HELLO", " Total score: -1000");

        // Assert
        Assert.Equal("HELLO", Assert.Single(segments).Label);
        Assert.Equal([new CorpusProblem(File, 1, "expected the header 'SFrm EFrm SegAScr ...' before the first row")], problems);
    }
}
