namespace Orchestrator.Models.Features;

/// <summary>The encoder frames one segment pools: [<see cref="First"/>, <see cref="Last"/>], inclusive.</summary>
/// <param name="First">First pooled frame.</param>
/// <param name="Last">Last pooled frame, at least <paramref name="First"/>.</param>
public readonly record struct FrameRange(int First, int Last)
{
    /// <summary>How many frames the segment's vector averages.</summary>
    public int Count => Last - First + 1;
}
