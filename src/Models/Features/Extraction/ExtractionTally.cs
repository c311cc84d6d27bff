using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>Sums the per-utterance counts of an extraction into its report.</summary>
internal sealed class ExtractionTally
{
    private int _extracted, _noAlignment, _syllablesFromPhones, _truncated, _empty;
    private double _audioSeconds;
    private readonly Dictionary<string, int> _absent = [];
    private readonly Dictionary<string, long> _segments = [], _silence = [], _nearest = [], _clipped = [];

    public List<string> Failed { get; } = [];

    /// <summary>Adds one extracted utterance; returns its own counts for the manifest.</summary>
    public IReadOnlyDictionary<string, int> Add(Utterance utterance, SpeechStreamCounts counts, bool truncated, bool emptyTranscript, double seconds)
    {
        var own = new SortedDictionary<string, int>(StringComparer.Ordinal);
        _extracted++;
        _audioSeconds += seconds;
        if (!counts.HasAlignment) { _noAlignment++; own["no_alignment"] = 1; }
        if (counts.SyllablesDerived) { _syllablesFromPhones++; own["syllables_from_phones"] = 1; }
        if (truncated) { _truncated++; own["text_truncated"] = 1; }
        if (emptyTranscript) { _empty++; own["empty_transcript"] = 1; }
        foreach (var (kind, segment) in counts.Segments)
        {
            var name = kind.Name();
            if (!segment.Present) Increment(_absent, name, 1);
            Increment(_segments, name, segment.Kept);
            Increment(_silence, name, segment.SilenceDropped);
            Increment(_nearest, name, segment.NearestFallback);
            Increment(_clipped, name, segment.Clipped);
            if (segment.Clipped > 0) own[$"{name}_clipped"] = segment.Clipped;
            if (segment.NearestFallback > 0) own[$"{name}_nearest_frame"] = segment.NearestFallback;
        }
        return own;
    }

    public ExtractionReport ToReport(int utterances, int reused, bool untrained, double wallSeconds, string fingerprint, long bytes) => new()
    {
        Utterances = utterances, Extracted = _extracted, Reused = reused,
        NoAlignment = _noAlignment, SyllablesFromPhones = _syllablesFromPhones,
        StreamAbsent = new(_absent), Segments = new(_segments), SilenceDropped = new(_silence), NearestFrame = new(_nearest), Clipped = new(_clipped),
        TruncatedTexts = _truncated, EmptyTranscripts = _empty, Failed = [.. Failed],
        AudioSeconds = _audioSeconds, WallSeconds = wallSeconds, UntrainedEncoders = untrained, Fingerprint = fingerprint, StoreBytes = bytes,
    };

    private static void Increment<T>(Dictionary<string, T> counts, string key, T by) where T : System.Numerics.INumber<T> =>
        counts[key] = counts.GetValueOrDefault(key, T.Zero) + by;
}
