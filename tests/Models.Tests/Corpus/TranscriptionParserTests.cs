using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class TranscriptionParserTests
{
    [Fact]
    public void Reads_utterance_lines_and_skips_turns_outside_utterances()
    {
        // Arrange
        string[] lines =
        [
            "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.",
            "M_XXX [008.5000-009.0000]: Hm.",
            "",
            "Ses01F_impro01_M000 [010.0000-011.0000]: [LAUGHTER] Yeah, right [BREATHING]",
        ];
        var problems = new List<CorpusProblem>();

        // Act
        var result = TranscriptionParser.Parse(lines, "t.txt", problems);

        // Assert
        Assert.Empty(problems);
        Assert.Equal(
            [new("Ses01F_impro01_F000", "Excuse me.", 1), new("Ses01F_impro01_M000", "[LAUGHTER] Yeah, right [BREATHING]", 4)],
            result);
    }

    [Fact]
    public void Reports_an_utterance_line_without_its_time_span()
    {
        // Arrange
        string[] lines = ["Ses01F_impro01_F000: Excuse me."];
        var problems = new List<CorpusProblem>();

        // Act
        var result = TranscriptionParser.Parse(lines, "t.txt", problems);

        // Assert
        Assert.Empty(result);
        Assert.Equal(("t.txt", 1), (Assert.Single(problems).File, problems[0].Line));
    }
}
