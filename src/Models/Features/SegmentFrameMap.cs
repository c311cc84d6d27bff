using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features;

/// <summary>
/// The frames each kept segment of one utterance pools, and what the mapping had to bend to get
/// there (<see cref="SegmentFrameMapper"/>).
/// </summary>
/// <param name="Segments">The kept segments, in input order.</param>
/// <param name="Ranges">One frame range per kept segment, same order.</param>
/// <param name="SilenceDropped">Silence and noise segments left out.</param>
/// <param name="Clipped">Kept segments that reach past the utterance's last frame, cut to end there.</param>
/// <param name="NearestFallback">Kept segments with no frame centre in their span, given the frame nearest their midpoint.</param>
public sealed record SegmentFrameMap(
    IReadOnlyList<AlignedSegment> Segments,
    IReadOnlyList<FrameRange> Ranges,
    int SilenceDropped,
    int Clipped,
    int NearestFallback)
{
    /// <summary>Kept segments: the N of the pooled stream.</summary>
    public int Kept => Ranges.Count;
}
