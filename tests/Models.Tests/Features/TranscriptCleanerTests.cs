using Orchestrator.Models.Features;

namespace Orchestrator.Models.Tests.Features;

public sealed class TranscriptCleanerTests
{
    [Theory]
    [InlineData("[LAUGHTER] I can't  believe [BREATHING] it. [GARBAGE]", "I can't believe it.")]
    [InlineData("Oh [anything at all] no", "Oh no")]
    [InlineData("  plain\ttext\n", "plain text")]
    [InlineData("[LAUGHTER]", "")]
    [InlineData("an [unclosed tag", "an [unclosed tag")]
    public void Removes_bracketed_tags_and_collapses_whitespace(string transcript, string expected)
    {
        // Act
        var cleaned = TranscriptCleaner.Clean(transcript);

        // Assert
        Assert.Equal(expected, cleaned);
    }

    [Fact]
    public void Keeps_tags_when_asked_and_still_collapses_whitespace()
    {
        // Act
        var cleaned = TranscriptCleaner.Clean(" [LAUGHTER]  I  can't ", keepTags: true);

        // Assert
        Assert.Equal("[LAUGHTER] I can't", cleaned);
    }
}
