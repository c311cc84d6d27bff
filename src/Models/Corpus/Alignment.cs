namespace Orchestrator.Models.Corpus;

/// <summary>The forced alignment of one utterance, as far as its files exist.</summary>
/// <param name="Phones">From <c>.phseg</c>; empty when that file is missing.</param>
/// <param name="Words">From <c>.wdseg</c>; empty when that file is missing.</param>
/// <param name="Syllables">From <c>.syseg</c>, or null when the corpus has no syllable alignment for this utterance.</param>
public sealed record Alignment(
    IReadOnlyList<AlignedSegment> Phones,
    IReadOnlyList<AlignedSegment> Words,
    IReadOnlyList<AlignedSegment>? Syllables);
