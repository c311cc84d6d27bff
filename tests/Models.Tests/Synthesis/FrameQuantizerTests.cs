using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

public sealed class FrameQuantizerTests
{
    [Fact]
    public void Boundaries_SnapToTheNearestFrame_AndTheLastReachesTheEndOfTheAudio()
    {
        var bounds = FrameQuantizer.Boundaries([0.204, 0.316, 0.5], totalFrames: 52);

        Assert.Equal([0, 20, 32, 52], bounds);
    }

    [Fact]
    public void Boundaries_GiveEverySegmentAtLeastOneFrame()
    {
        var bounds = FrameQuantizer.Boundaries([0.1, 0.101, 0.102, 0.3], totalFrames: 30);

        Assert.Equal([0, 10, 11, 12, 30], bounds);
    }

    [Fact]
    public void Boundaries_CutSegmentsThatRunPastTheAudio()
    {
        var bounds = FrameQuantizer.Boundaries([0.1, 0.2, 0.25, 0.3], totalFrames: 20);

        Assert.Equal([0, 10, 18, 19, 20], bounds);
    }

    [Fact]
    public void MoreSegmentsThanFrames_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => FrameQuantizer.Boundaries([0.01, 0.02, 0.03], totalFrames: 2));
    }
}
