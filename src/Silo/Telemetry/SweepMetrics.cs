using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Database;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The coordinators' gauges, read from the runs table every <see cref="Interval"/> (one cheap grouped
/// query per refresh, not one per scrape): runs of every active or paused sweep by state (the queue
/// depth is <c>state="queued"</c>), the sweeps' names and priorities, and each configuration's
/// finished runs and mean test UA as the <c>configuration_scores</c> view computes it. Taken from the
/// database, they survive a coordinator's restart and agree between coordinators.
/// </summary>
public sealed class SweepMetrics(OrchestratorDatabase database, TimeSpan interval, ILogger<SweepMetrics> logger, TimeProvider clock) : BackgroundService
{
    /// <summary>How often the gauges are read from the database.</summary>
    public TimeSpan Interval { get; } = interval > TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");

    private static readonly string[] States = ["queued", "leased", "running", "succeeded", "failed", "cancelled"];

    private volatile Snapshot _last = new([], [], []);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var registration = Register(this);
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                try
                {
                    _last = await ReadAsync(stopping);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("Sweep metrics: database unreachable ({Message}); the last values stay", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellation)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        using var reader = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT s.id AS Sweep, s.name AS Name, s.priority AS Priority FROM sweeps s WHERE s.state IN ('active', 'paused') ORDER BY s.id;
            SELECT sr.sweep_id AS Sweep, r.state AS State, count(*)::integer AS Runs
            FROM sweeps s JOIN sweep_runs sr ON sr.sweep_id = s.id JOIN runs r ON r.id = sr.run_id
            WHERE s.state IN ('active', 'paused') GROUP BY sr.sweep_id, r.state;
            SELECT sr.sweep_id AS Sweep, r.configuration_key AS Configuration, count(x.run_id)::integer AS Succeeded, avg(x.ua) AS UaMean
            FROM sweeps s JOIN sweep_runs sr ON sr.sweep_id = s.id JOIN runs r ON r.id = sr.run_id LEFT JOIN results x ON x.run_id = r.id
            WHERE s.state IN ('active', 'paused') GROUP BY sr.sweep_id, r.configuration_key;
            """, cancellationToken: cancellation));
        var sweeps = (await reader.ReadAsync<SweepInfo>()).ToList();
        var states = (await reader.ReadAsync<SweepState>()).ToList();
        var configurations = (await reader.ReadAsync<ConfigurationScore>()).ToList();
        return new Snapshot(sweeps, states, configurations);
    }

    private sealed record SweepInfo(long Sweep, string Name, int Priority);

    private sealed record SweepState(long Sweep, string State, int Runs);

    private sealed record ConfigurationScore(long Sweep, string Configuration, int Succeeded, double? UaMean);

    private sealed record Snapshot(IReadOnlyList<SweepInfo> Sweeps, IReadOnlyList<SweepState> States, IReadOnlyList<ConfigurationScore> Configurations);

    private static readonly List<SweepMetrics> Sources = [];

    static SweepMetrics()
    {
        var meter = OrchestratorTelemetry.Meter;
        meter.CreateObservableGauge("orchestrator.sweep.runs", () => Observe(SweepRuns), "{run}", "Runs of a sweep in each state.");
        meter.CreateObservableGauge("orchestrator.sweep.info", () => Observe(s => s.Sweeps.Select(i =>
            new Measurement<int>(1, Tag("sweep", $"{i.Sweep}"), Tag("name", i.Name), Tag("priority", $"{i.Priority}")))), unit: null, "1 for every active sweep; its name and priority.");
        meter.CreateObservableGauge("orchestrator.configuration.runs_succeeded", () => Observe(s => s.Configurations.Select(c =>
            new Measurement<int>(c.Succeeded, Tag("sweep", $"{c.Sweep}"), Tag("configuration", c.Configuration)))), "{run}", "Runs of a configuration finished with a result.");
        meter.CreateObservableGauge("orchestrator.configuration.ua_mean", () => ObserveDouble(s => s.Configurations.Where(c => c.UaMean is not null).Select(c =>
            new Measurement<double>(c.UaMean!.Value, Tag("sweep", $"{c.Sweep}"), Tag("configuration", c.Configuration)))), unit: null, "Mean test unweighted accuracy (0-1) of a configuration's finished runs.");
    }

    /// <summary>Every state of every sweep, zeros included, so that a state that empties reads 0 rather than vanishing.</summary>
    private static IEnumerable<Measurement<int>> SweepRuns(Snapshot s) =>
        from sweep in s.Sweeps
        from state in States
        select new Measurement<int>(s.States.FirstOrDefault(x => x.Sweep == sweep.Sweep && x.State == state)?.Runs ?? 0, Tag("sweep", $"{sweep.Sweep}"), Tag("state", state));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static IDisposable Register(SweepMetrics source)
    {
        lock (Sources) Sources.Add(source);
        return new Registration(source);
    }

    private static IEnumerable<Measurement<int>> Observe(Func<Snapshot, IEnumerable<Measurement<int>>> read)
    {
        lock (Sources) return [.. Sources.Take(1).SelectMany(s => read(s._last))];     // one coordinator per process is enough
    }

    private static IEnumerable<Measurement<double>> ObserveDouble(Func<Snapshot, IEnumerable<Measurement<double>>> read)
    {
        lock (Sources) return [.. Sources.Take(1).SelectMany(s => read(s._last))];
    }

    private sealed class Registration(SweepMetrics source) : IDisposable
    {
        public void Dispose()
        {
            lock (Sources) Sources.Remove(source);
        }
    }
}
