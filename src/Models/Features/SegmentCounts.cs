namespace Orchestrator.Models.Features;

/// <summary>What happened to one segmental stream's segments in one utterance, for the extraction report.</summary>
/// <param name="Segments">Segments in the alignment (or derived syllables) before anything was dropped.</param>
/// <param name="Kept">Segments pooled: the stream's N; 0 means the stream is absent for this utterance.</param>
/// <param name="SilenceDropped">Silence and noise segments left out.</param>
/// <param name="Clipped">Kept segments past the end of the audio, cut to the last frame.</param>
/// <param name="NearestFallback">Kept segments with no frame centre in their span, given the nearest frame.</param>
public sealed record SegmentCounts(int Segments, int Kept, int SilenceDropped, int Clipped, int NearestFallback)
{
    /// <summary>Whether the stream exists for the utterance (at least one segment kept).</summary>
    public bool Present => Kept > 0;
}
