using System.Diagnostics.Metrics;

namespace Orchestrator.Models.Telemetry;

/// <summary>
/// The feature pipeline's meter, <c>Orchestrator.Models</c>: plain System.Diagnostics.Metrics, so Models
/// depends on no telemetry package; the silos' and the client's meter providers subscribe to it by name.
/// Instruments count where the work happens: extraction in the process that extracts, store reads in the
/// run processes, whose totals their worker adds to these same counters (<c>RunCounters</c> in src/Silo).
/// </summary>
public static class FeatureMetrics
{
    public const string Name = "Orchestrator.Models";

    public static readonly Meter Meter = new(Name);

    // The instruments' names as constants: a MeterListener's callback may run inside this class' static
    // initialiser (each instrument is published as it is created), where the fields below are still null.
    public const string StoreReadName = "orchestrator.store.read";
    public const string CacheHitsName = "orchestrator.store.cache.hits";
    public const string CacheMissesName = "orchestrator.store.cache.misses";

    /// <summary>Bytes copied out of the store's shards (Prometheus: <c>orchestrator_store_read_bytes_total</c>), loading into memory included.</summary>
    public static readonly Counter<long> StoreBytesRead = Meter.CreateCounter<long>(StoreReadName, "By", "Bytes read from feature-store shards");

    /// <summary>Stream reads served from memory by a <c>FeatureCache</c> (<c>orchestrator_store_cache_hits_total</c>).</summary>
    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(CacheHitsName, "{read}", "Feature reads served from the in-memory cache");

    /// <summary>Stream reads served from the shards because the store was not loaded into memory (<c>orchestrator_store_cache_misses_total</c>).</summary>
    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(CacheMissesName, "{read}", "Feature reads served from the memory-mapped shards");

    /// <summary>Seconds of audio encoded (<c>orchestrator_extraction_audio_seconds_total</c>); its rate is extraction's audio seconds per second.</summary>
    public static readonly Counter<double> ExtractionAudio = Meter.CreateCounter<double>("orchestrator.extraction.audio", "s", "Seconds of audio encoded by feature extraction");

    /// <summary>Utterances extracted and written to a store (<c>orchestrator_extraction_utterances_total</c>).</summary>
    public static readonly Counter<long> ExtractionUtterances = Meter.CreateCounter<long>("orchestrator.extraction.utterances", "{utterance}", "Utterances extracted into a feature store");
}
