using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>What an extraction did and what it had to work around (method.md section 3 asks for every fallback to be counted).</summary>
public sealed record ExtractionReport
{
    /// <summary>Utterances the store should hold (the corpus' four-class or labelled utterances).</summary>
    public int Utterances { get; init; }

    /// <summary>Encoded in this run.</summary>
    public int Extracted { get; init; }

    /// <summary>Already stored under the same content key: no work done.</summary>
    public int Reused { get; init; }

    /// <summary>True when nothing had to be extracted.</summary>
    public bool CacheHit => Extracted == 0 && Failed.Count == 0;

    /// <summary>Utterances without alignment: no P, S, W; models fall back to F for them.</summary>
    public int NoAlignment { get; init; }

    /// <summary>Utterances whose syllables were grouped from phones (no syllable alignment in the corpus).</summary>
    public int SyllablesFromPhones { get; init; }

    /// <summary>Per segmental stream: utterances lacking it although aligned (nothing left after silence removal).</summary>
    public Dictionary<string, int> StreamAbsent { get; init; } = [];

    /// <summary>Per segmental stream: segments pooled.</summary>
    public Dictionary<string, long> Segments { get; init; } = [];

    /// <summary>Per segmental stream: silence or noise segments left out.</summary>
    public Dictionary<string, long> SilenceDropped { get; init; } = [];

    /// <summary>Per segmental stream: segments covering no frame centre, given the nearest frame.</summary>
    public Dictionary<string, long> NearestFrame { get; init; } = [];

    /// <summary>Per segmental stream: segments reaching past the audio, clipped to its last frame.</summary>
    public Dictionary<string, long> Clipped { get; init; } = [];

    /// <summary>Transcripts cut to the text encoder's maximum length.</summary>
    public int TruncatedTexts { get; init; }

    /// <summary>Transcripts with no word left (after tag removal): T keeps [CLS] and [SEP] for them.</summary>
    public int EmptyTranscripts { get; init; }

    /// <summary>Utterances that could not be extracted, with the reason (file named); retried by the next run.</summary>
    public List<string> Failed { get; init; } = [];

    /// <summary>Seconds of audio encoded in this run.</summary>
    public double AudioSeconds { get; init; }

    /// <summary>Wall time of this run, hashing included.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Extracted utterances per second of wall time.</summary>
    public double UtterancesPerSecond => WallSeconds > 0 ? Extracted / WallSeconds : 0;

    /// <summary>Seconds of audio encoded per second of wall time.</summary>
    public double AudioSecondsPerSecond => WallSeconds > 0 ? AudioSeconds / WallSeconds : 0;

    /// <summary>True when an encoder is a built-in random one: features for exercising the pipeline, not for results.</summary>
    public bool UntrainedEncoders { get; init; }

    /// <summary>The store's fingerprint after this run.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>Bytes on disk.</summary>
    public long StoreBytes { get; init; }
}

/// <summary>Source-generated JSON for <see cref="ExtractionReport"/> (reflection may be off in trimmed hosts).</summary>
[JsonSerializable(typeof(ExtractionReport))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class ExtractionReportJsonContext : JsonSerializerContext;
