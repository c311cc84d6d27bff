using System.Diagnostics.Metrics;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Telemetry;

namespace Orchestrator.Models.Tests.Features.Extraction;

/// <summary>The feature pipeline's meter (<see cref="FeatureMetrics"/>): what extraction encodes and what the store serves.</summary>
[Collection(ExtractionCollection.Name)]
public sealed class FeatureMetricsTests(ExtractionFixture fixture)
{
    [Fact]
    public void Extraction_counts_the_audio_seconds_and_utterances_it_encodes_and_nothing_for_reused_ones()
    {
        using var measured = new Measurements();

        var report = fixture.Extractor.Run(fixture.Corpus, fixture.NewFolder("store"), ExtractionFixture.F32);
        var again = fixture.Extractor.Run(fixture.Corpus, fixture.CopyStore(), ExtractionFixture.F32);

        Assert.True(report.AudioSeconds > 0);
        Assert.Equal(report.AudioSeconds, measured.Sum(FeatureMetrics.ExtractionAudio.Name), 6);
        Assert.Equal(report.Extracted, measured.Sum(FeatureMetrics.ExtractionUtterances.Name));
        Assert.Equal(0, again.Extracted);
    }

    [Fact]
    public void Store_reads_count_their_bytes_and_reads_from_memory_count_as_cache_hits()
    {
        using var store = FeatureStore.Open(fixture.StoreF32);
        var id = store.Utterances[0].Id;
        using var measured = new Measurements();

        using (var read = store.Read(id, StreamKind.Text)!)
        {
            Assert.Equal(read.NumberOfElements * sizeof(float), measured.Sum(FeatureMetrics.StoreBytesRead.Name));   // F32 store: stored bytes = read bytes
        }
        Assert.Equal((1, 0), (measured.Sum(FeatureMetrics.CacheMisses.Name), measured.Sum(FeatureMetrics.CacheHits.Name)));
        var before = measured.Sum(FeatureMetrics.StoreBytesRead.Name);
        using var cache = store.LoadIntoMemory([StreamKind.Text, StreamKind.Word]);
        Assert.Equal(store.EstimateMemoryBytes([StreamKind.Text, StreamKind.Word]), measured.Sum(FeatureMetrics.StoreBytesRead.Name) - before);
        using (cache.Read(id, StreamKind.Text)) { }
        using (cache.ReadSegmentFrames(id, StreamKind.Word)) { }
        Assert.Equal((1, 2), (measured.Sum(FeatureMetrics.CacheMisses.Name), measured.Sum(FeatureMetrics.CacheHits.Name)));
    }

    /// <summary>
    /// The meter's measurements made on this test's thread: other test collections read stores in parallel,
    /// and every read and extraction step records on the thread that does it.
    /// </summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly int _thread = Environment.CurrentManagedThreadId;
        private readonly List<(string Name, double Value)> _values = [];

        public Measurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FeatureMetrics.Name) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
            _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
            _listener.Start();
        }

        private void Add(string name, double value)
        {
            if (Environment.CurrentManagedThreadId == _thread) lock (_values) _values.Add((name, value));
        }

        public double Sum(string name)
        {
            lock (_values) return _values.Where(v => v.Name == name).Sum(v => v.Value);
        }

        public void Dispose() => _listener.Dispose();
    }
}
