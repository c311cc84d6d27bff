using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

public sealed class SphinxSegFormatterTests
{
    [Fact]
    public void Format_RightAlignsColumnsUnderTheHeader_AndTotalsTheScores()
    {
        var text = SphinxSegFormatter.Format(
            [new SphinxRow(0, 32, -230604, "SIL"), new SphinxRow(33, 1039, -57708, "EH B K b")], "Phone");

        Assert.Equal(
            "\tSFrm  EFrm    SegAScr Phone\n" +
            "\t   0    32    -230604 SIL\n" +
            "\t  33  1039     -57708 EH B K b\n" +
            " Total score: -288312\n",
            text);
    }
}
