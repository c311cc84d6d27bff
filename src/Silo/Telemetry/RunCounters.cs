using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Models.Telemetry;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The feature-store counters of a run process (<see cref="FeatureMetrics"/>: bytes read, cache hits and
/// misses), carried to its worker as lines on standard error, <c>{"counter":NAME,"value":V}</c>, and added
/// there to the same counters with the worker's name, so a worker's /metrics counts what its runs read.
/// </summary>
/// <remarks>
/// A run process has no exporter (see <see cref="RunSpans"/> for why); it totals its counters with a
/// <see cref="MeterListener"/> and prints them once, after training, before its result. A process killed
/// before then reports nothing: counters are for rates and totals, not accounting. Only the names of
/// <see cref="Relayed"/> are accepted, so a child cannot make up series on the worker.
/// </remarks>
public static class RunCounters
{
    public const string LinePrefix = "{\"counter\"";

    /// <summary>The counters a run process reports, by instrument name.</summary>
    public static readonly IReadOnlyDictionary<string, Counter<long>> Relayed = new Dictionary<string, Counter<long>>
    {
        [FeatureMetrics.StoreReadName] = FeatureMetrics.StoreBytesRead,
        [FeatureMetrics.CacheHitsName] = FeatureMetrics.CacheHits,
        [FeatureMetrics.CacheMissesName] = FeatureMetrics.CacheMisses,
    };

    /// <summary>Starts every relayed series of <paramref name="worker"/> at 0, so a rate() sees its first increase.</summary>
    public static void Start(string worker)
    {
        foreach (var counter in Relayed.Values) counter.Add(0, new KeyValuePair<string, object?>("worker", worker));
    }

    /// <summary>Adds the counter of <paramref name="line"/> to this process' under <paramref name="worker"/>; false when the line is not one.</summary>
    public static bool Relay(string line, string worker)
    {
        if (!line.StartsWith(LinePrefix, StringComparison.Ordinal)) return false;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!Relayed.TryGetValue(root.GetProperty("counter").GetString() ?? "", out var counter)) return false;
            var value = root.GetProperty("value").GetInt64();
            if (value < 0) return false;
            counter.Add(value, new KeyValuePair<string, object?>("worker", worker));
            return true;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Totals, in a run process, what its relayed counters measure; <see cref="Lines"/> reports them.</summary>
    public sealed class Totals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _totals = [];

        public Totals()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // By name only: this can run inside FeatureMetrics' static initialiser (see its name constants).
                if (instrument is Counter<long> && instrument.Meter.Name == FeatureMetrics.Name
                    && instrument.Name is FeatureMetrics.StoreReadName or FeatureMetrics.CacheHitsName or FeatureMetrics.CacheMissesName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                lock (_totals) _totals[instrument.Name] = _totals.GetValueOrDefault(instrument.Name) + value;
            });
            _listener.Start();
        }

        /// <summary>One line per counter that counted anything.</summary>
        public IEnumerable<string> Lines()
        {
            lock (_totals)
                return _totals.Where(t => t.Value > 0).Select(t => string.Create(CultureInfo.InvariantCulture, $"{{\"counter\":{JsonSerializer.Serialize(t.Key)},\"value\":{t.Value}}}")).ToList();
        }

        public void Dispose() => _listener.Dispose();
    }
}
