namespace Orchestrator.Models.Synthesis;

/// <summary>Snaps contiguous segment ends in seconds to 10 ms frame boundaries, as an aligner reports them.</summary>
public static class FrameQuantizer
{
    /// <summary>
    /// Boundaries b[0..n] for n contiguous segments: segment i covers frames b[i] .. b[i+1]-1. b[0] = 0 and
    /// b[n] = <paramref name="totalFrames"/> (the last segment is stretched or cut to the end of the audio),
    /// every segment keeps at least one frame, and the others sit at the nearest frame to the true end.
    /// </summary>
    public static int[] Boundaries(IReadOnlyList<double> ends, int totalFrames)
    {
        var n = ends.Count;
        if (n == 0) throw new ArgumentException("No segments to quantise.", nameof(ends));
        if (totalFrames < n) throw new ArgumentException($"{n} segments cannot each get a frame of {totalFrames}.", nameof(totalFrames));
        var b = new int[n + 1];
        for (var i = 1; i < n; i++) b[i] = (int)Math.Round(ends[i - 1] * 100, MidpointRounding.AwayFromZero);
        b[n] = totalFrames;
        for (var i = 1; i < n; i++) b[i] = Math.Max(b[i], b[i - 1] + 1);
        for (var i = n - 1; i >= 1; i--) b[i] = Math.Min(b[i], b[i + 1] - 1);
        return b;
    }
}
