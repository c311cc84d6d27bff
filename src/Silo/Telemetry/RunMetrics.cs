using System.Diagnostics.Metrics;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The workers' instruments, counted where a run trains (tags <c>worker</c>, and <c>configuration</c>
/// or <c>reason</c>). Observable gauges read the <see cref="IWorkerLoad"/>s registered by running workers.
/// </summary>
public static class RunMetrics
{
    private static readonly Meter Meter = OrchestratorTelemetry.Meter;

    /// <summary>Seconds from a fraction of a second to a day: runs last minutes to hours, epochs seconds to minutes.</summary>
    private static readonly double[] SecondsBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400];

    /// <summary>Unweighted accuracy, 0.05 apart.</summary>
    private static readonly double[] AccuracyBuckets = [.. Enumerable.Range(1, 20).Select(i => i * 0.05)];

    public static readonly Counter<long> Leased = Meter.CreateCounter<long>("orchestrator.runs.leased", "{run}", "Runs this worker leased (queued runs, and runs whose previous lease expired).");

    public static readonly Counter<long> Started = Meter.CreateCounter<long>("orchestrator.runs.started", "{run}", "Runs this worker started training.");

    public static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("orchestrator.runs.succeeded", "{run}", "Runs finished and recorded.");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("orchestrator.runs.failed", "{run}", "Runs that failed their last attempt (failed for good).");

    public static readonly Counter<long> Retried = Meter.CreateCounter<long>("orchestrator.runs.retried", "{run}", "Runs whose attempt failed and that were queued again for another.");

    public static readonly Counter<long> AttemptsFailed = Meter.CreateCounter<long>("orchestrator.run.attempts.failed", "{attempt}", "Attempts that failed (process crash, error exit, lost lease), retried or not.");

    public static readonly Counter<long> HandedBack = Meter.CreateCounter<long>("orchestrator.runs.handed_back", "{run}", "Runs given back to the queue unfinished.");

    public static readonly Counter<long> LeasesExpired = Meter.CreateCounter<long>("orchestrator.leases.expired", "{run}", "Runs leased whose previous lease had expired.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram("orchestrator.run.duration", "s", "Wall time of a run, lease to recorded result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static readonly Histogram<double> RunAccuracy = Meter.CreateHistogram("orchestrator.run.ua", unit: null, "Validation unweighted accuracy (0-1) of each run as it finishes.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AccuracyBuckets });

    public static readonly Histogram<double> EpochDuration = Meter.CreateHistogram("orchestrator.epoch.duration", "s", "Wall time of one training epoch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static readonly Counter<long> TrainSamples = Meter.CreateCounter<long>("orchestrator.train.samples", "{sample}", "Training utterances processed.");

    private static readonly List<IWorkerLoad> Workers = [];

    static RunMetrics()
    {
        Meter.CreateObservableGauge("orchestrator.worker.slots", () => Observe(w => w.Slots), "{slot}", "Training slots of a worker.");
        Meter.CreateObservableGauge("orchestrator.worker.slots_busy", () => Observe(w => w.BusySlots), "{slot}", "Slots training a run now.");
        Meter.CreateObservableGauge("orchestrator.worker.results_pending", () => Observe(w => w.ResultsPending), "{run}", "Finished runs whose results are not yet committed.");
    }

    /// <summary>Reports <paramref name="worker"/>'s load until the returned handle is disposed.</summary>
    public static IDisposable Register(IWorkerLoad worker)
    {
        lock (Workers) Workers.Add(worker);
        return new Registration(worker);
    }

    private static IEnumerable<Measurement<int>> Observe(Func<IWorkerLoad, int> value)
    {
        lock (Workers) return [.. Workers.Select(w => new Measurement<int>(value(w), new KeyValuePair<string, object?>("worker", w.Name)))];
    }

    private sealed class Registration(IWorkerLoad worker) : IDisposable
    {
        public void Dispose()
        {
            lock (Workers) Workers.Remove(worker);
        }
    }
}
