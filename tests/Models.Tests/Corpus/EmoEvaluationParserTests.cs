using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class EmoEvaluationParserTests
{
    private const string File = "e.txt";

    [Fact]
    public void Reads_summaries_and_ignores_annotator_lines()
    {
        // Arrange
        string[] lines =
        [
            "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]",
            "",
            "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
            "C-E2:\tNeutral state;\t()",
            "A-E3:\tval 3; act 2; dom  2;\t()",
            "",
            "[10.0100 - 11.3925]\tSes01F_impro01_F001\txxx\t[2.5000, 2.5000, 2.5000]",
        ];
        var problems = new List<CorpusProblem>();

        // Act
        var entries = EmoEvaluationParser.Parse(lines, File, problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal(
            [new("Ses01F_impro01_F000", "neu", 6.2901, 8.2357, 3), new("Ses01F_impro01_F001", "xxx", 10.01, 11.3925, 7)],
            entries);
    }

    [Fact]
    public void Reports_a_block_that_opens_without_a_summary()
    {
        // Arrange
        string[] lines = ["% header", "", "C-E2:\tAnger;\t()", "A-E3:\tval 3; act 2; dom  2;\t()"];
        var problems = new List<CorpusProblem>();

        // Act
        var entries = EmoEvaluationParser.Parse(lines, File, problems);

        // Assert
        Assert.Empty(entries);
        Assert.Equal(3, Assert.Single(problems).Line);
    }

    [Fact]
    public void Reports_a_missing_header_and_a_span_that_ends_before_it_starts()
    {
        // Arrange
        string[] lines = ["[8.0 - 6.0]\tSes01F_impro01_F000\tsad\t[2.5, 2.5, 2.5]"];
        var problems = new List<CorpusProblem>();

        // Act
        var entries = EmoEvaluationParser.Parse(lines, File, problems);

        // Assert
        Assert.Single(entries);
        Assert.Equal(
            [new(File, 1, "expected a header line starting with '%'"),
             new(File, 1, "Ses01F_impro01_F000: time span ends (6) before it starts (8)")],
            problems);
    }
}
