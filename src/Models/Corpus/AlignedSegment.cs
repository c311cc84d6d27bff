namespace Orchestrator.Models.Corpus;

/// <summary>
/// One row of a Sphinx forced alignment: a label over the inclusive 10 ms frames
/// [<see cref="StartFrame"/>, <see cref="EndFrame"/>] of the utterance's wav.
/// </summary>
/// <param name="Label">The phone, syllable or word; pronunciation variants such as <c>WHAT(2)</c> stripped.</param>
/// <param name="StartFrame">First 10 ms frame, inclusive.</param>
/// <param name="EndFrame">Last 10 ms frame, inclusive.</param>
/// <param name="IsSilence">Silence or noise (<c>SIL</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;sil&gt;</c>, <c>++...++</c>).</param>
public sealed record AlignedSegment(string Label, int StartFrame, int EndFrame, bool IsSilence)
{
    /// <summary>Alignment frames per second.</summary>
    public const int FramesPerSecond = 100;

    /// <summary>Start of the span in seconds: StartFrame / 100.</summary>
    public double Start => StartFrame / (double)FramesPerSecond;

    /// <summary>End of the half-open span in seconds: (EndFrame + 1) / 100.</summary>
    public double End => (EndFrame + 1) / (double)FramesPerSecond;
}
