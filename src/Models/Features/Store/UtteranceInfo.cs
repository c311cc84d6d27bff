using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// What the manifest records of one stored utterance, so that training can list utterances,
/// labels and sessions without opening a shard.
/// </summary>
/// <param name="Id">Utterance id, e.g. <c>Ses01F_impro01_F000</c> (no <c>/</c>: it prefixes tensor names).</param>
/// <param name="Session">Session number (the fold that tests on it).</param>
/// <param name="Speaker">Speaker identity, e.g. <c>Ses01F</c>.</param>
/// <param name="Gender">'F' or 'M'.</param>
/// <param name="RawLabel">The category as released (neu, exc, fru, ...).</param>
/// <param name="Label">The 4-class label, or null for a category the method drops.</param>
/// <param name="Key">
/// The utterance's content key, supplied by the extractor (a hash of its wav bytes, transcript and
/// alignment, see <c>Extraction.ExtractionFingerprint.Utterance</c>): a stored utterance is reused only under the same key.
/// </param>
/// <param name="Counts">Per-utterance counts the extractor reports (clipped segments, dropped tags, ...); may be empty.</param>
public sealed record UtteranceInfo(
    string Id,
    int Session,
    string Speaker,
    char Gender,
    string RawLabel,
    Emotion? Label,
    string Key,
    IReadOnlyDictionary<string, int> Counts);
