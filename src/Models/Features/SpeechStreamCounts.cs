namespace Orchestrator.Models.Features;

/// <summary>Per-utterance bookkeeping of <see cref="SpeechStreams.Build"/>, summed into the extraction report.</summary>
/// <param name="HasAlignment">false: the utterance has no alignment, so no P, S or W (models fall back to F).</param>
/// <param name="SyllablesDerived">S was grouped from phones by <see cref="Syllabifier"/>, the corpus having no syllable alignment.</param>
/// <param name="Segments">Counts per segmental stream (P, S, W); empty without alignment.</param>
public sealed record SpeechStreamCounts(bool HasAlignment, bool SyllablesDerived, IReadOnlyDictionary<StreamKind, SegmentCounts> Segments)
{
    /// <summary>
    /// The segmental streams this utterance lacks: all three without alignment, otherwise those left
    /// with no segment after silence was dropped. Models that need one fall back to F for it.
    /// </summary>
    public IReadOnlyList<StreamKind> Absent =>
        StreamKinds.Segmental.Where(k => !Segments.TryGetValue(k, out var counts) || !counts.Present).ToList();
}
