namespace Orchestrator.Models.Features;

/// <summary>How aligned segments become the P, S and W streams (method.md section 3).</summary>
/// <param name="KeepSilence">Keep silence and noise segments (<c>SIL</c>, <c>&lt;s&gt;</c>, <c>++...++</c>); the method drops them.</param>
public sealed record SegmentOptions(bool KeepSilence = false)
{
    /// <summary>The method's defaults.</summary>
    public static SegmentOptions Default { get; } = new();
}
