using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orleans.Concurrency;

namespace Orchestrator.Grains.Sweeps;

/// <summary>
/// One configuration of one sweep, keyed by (sweep id, configuration key): its runs read from
/// PostgreSQL in one query, and the mean and sample standard deviation of UA over those that
/// succeeded, computed from that same read so that runs and scores never disagree.
/// </summary>
/// <remarks>
/// No repeat grain sits between this and <see cref="RunGrain"/>: a repeat is only the index that
/// picks a seed and a validation split; it has no state or life of its own. Like <see cref="RunGrain"/>
/// a stateless worker over the database, answered where it is called.
/// </remarks>
[StatelessWorker]
public sealed class ConfigurationGrain(RunQueue queue) : Grain, IConfigurationGrain
{
    public async Task<ConfigurationStatus> GetStatus()
    {
        var sweepId = this.GetPrimaryKeyLong(out var extension);
        var key = extension ?? throw new ArgumentException($"A configuration grain of sweep {sweepId} needs the configuration's key as its key extension.");
        var configuration = await queue.GetSweepConfigurationAsync(sweepId, key)
            ?? throw new ArgumentException(await queue.GetSweepAsync(sweepId) is null
                ? $"There is no sweep {sweepId}."
                : $"Sweep {sweepId} has no configuration '{key}'.");
        var runs = (await queue.ConfigurationRunsAsync(sweepId, key)).Select(RunGrain.Status).ToList();
        return new ConfigurationStatus(sweepId, configuration.Key, configuration.Model, configuration.Streams, runs,
            Summarise(runs.Where(r => r.State == RunState.Succeeded && r.UnweightedAccuracy is not null).Select(r => r.UnweightedAccuracy!.Value).ToList()));
    }

    private static ScoreSummary Summarise(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0) return new ScoreSummary(0, null, null);
        var mean = scores.Average();
        double? sd = scores.Count < 2 ? null : Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1));
        return new ScoreSummary(scores.Count, mean, sd);
    }
}
