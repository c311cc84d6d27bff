using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features;

/// <summary>
/// Which encoder frames an aligned segment covers (method.md section 3). A segment over the inclusive
/// 10 ms frames [a, b] spans [a/100, (b+1)/100) s and pools the encoder frames whose centre lies in
/// that span. When none does (a segment shorter than the 20 ms hop can fall between two centres),
/// it gets the single frame whose centre is nearest the span's midpoint, the earlier one on a tie.
/// </summary>
/// <remarks>
/// <para>
/// Exact arithmetic. Every time is scaled by 200 x sample_rate so all quantities are integers:
/// frame centre X_f = 100 (2 hop f + receptive_field), span [2 rate a, 2 rate (b+1)), midpoint
/// rate (a + b + 1). A centre exactly on the span's start belongs to the span; one exactly on its
/// end belongs to the next span, so adjacent segments never share a frame through the rule itself.
/// </para>
/// <para>
/// Past the end. The rule is first applied to an unbounded frame grid. A segment that would pool,
/// or fall back to, a frame at or after <c>frameCount</c> is "past the end of the audio": its range is
/// cut to end at the last frame (or becomes just the last frame when it starts after it) and it is
/// counted in <see cref="SegmentFrameMap.Clipped"/>. The conv stack drops the wav's last
/// (samples - receptive_field) mod hop samples, so a segment ending in the final ~20 ms of a wav can be
/// counted too; a large count means the alignment and the audio disagree.
/// </para>
/// </remarks>
public static class SegmentFrameMapper
{
    /// <summary>Maps <paramref name="segments"/> onto an utterance's encoder frames.</summary>
    /// <param name="segments">The aligned segments (phones, syllables or words), any order.</param>
    /// <param name="timing">Where the encoder's frames lie in time.</param>
    /// <param name="frameCount">T, the utterance's encoder frames.</param>
    /// <param name="keepSilence">Keep silence and noise segments (<see cref="AlignedSegment.IsSilence"/>); default drops them.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="frameCount"/> is not positive, or a segment has a negative frame or ends before
    /// it starts; the message names the segment's index and label.
    /// </exception>
    public static SegmentFrameMap Map(IReadOnlyList<AlignedSegment> segments, FrameTiming timing, int frameCount, bool keepSilence = false)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(timing);
        if (frameCount <= 0)
            throw new ArgumentException($"The utterance has {frameCount} encoder frames; segments need at least one to pool.", nameof(frameCount));

        var kept = new List<AlignedSegment>();
        var ranges = new List<FrameRange>();
        int silenceDropped = 0, clipped = 0, nearest = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            Validate(segment, i);
            if (segment.IsSilence && !keepSilence)
            {
                silenceDropped++;
                continue;
            }

            var (first, last, fellBack) = Unbounded(segment, timing);
            if (last >= frameCount)
            {
                clipped++;
                first = Math.Min(first, frameCount - 1);
                last = frameCount - 1;
            }
            else if (fellBack)
                nearest++;
            kept.Add(segment);
            ranges.Add(new FrameRange((int)first, (int)last));
        }
        return new SegmentFrameMap(kept, ranges, silenceDropped, clipped, nearest);
    }

    /// <summary>The rule on a frame grid without end: the covered frames, or the nearest one.</summary>
    private static (long First, long Last, bool FellBack) Unbounded(AlignedSegment segment, FrameTiming timing)
    {
        long rate = timing.SampleRate;
        var step = 200L * timing.HopSamples;                  // X_{f+1} - X_f
        var offset = 100L * timing.ReceptiveFieldSamples;     // X_0
        var start = 2 * rate * segment.StartFrame;            // span start, inclusive
        var end = 2 * rate * ((long)segment.EndFrame + 1);    // span end, exclusive

        // X_f >= start  <=>  f >= ceil((start - X_0) / step);   X_f < end  <=>  f <= ceil((end - X_0) / step) - 1.
        var first = Math.Max(0, CeilingDivide(start - offset, step));
        var last = CeilingDivide(end - offset, step) - 1;
        if (first <= last) return (first, last, false);

        // No centre in the span: it lies between centres first - 1 and first (or before frame 0).
        if (first == 0) return (0, 0, true);
        var middle = rate * ((long)segment.StartFrame + segment.EndFrame + 1);
        var before = middle - (offset + step * (first - 1));
        var after = offset + step * first - middle;
        var frame = before <= after ? first - 1 : first;
        return (frame, frame, true);
    }

    private static void Validate(AlignedSegment segment, int index)
    {
        if (segment is null) throw new ArgumentException($"Segment {index} is null.", "segments");
        if (segment.StartFrame < 0 || segment.EndFrame < 0)
            throw new ArgumentException(
                $"Segment {index} ('{segment.Label}') has a negative frame: [{segment.StartFrame}, {segment.EndFrame}].", "segments");
        if (segment.EndFrame < segment.StartFrame)
            throw new ArgumentException(
                $"Segment {index} ('{segment.Label}') ends (frame {segment.EndFrame}) before it starts (frame {segment.StartFrame}).", "segments");
    }

    /// <summary>ceil(n / d) for d &gt; 0, negative n included.</summary>
    private static long CeilingDivide(long n, long d)
    {
        var q = n / d;                                    // truncates toward zero
        return n % d != 0 && n > 0 ? q + 1 : q;
    }
}
