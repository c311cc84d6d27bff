using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// A run that trains nothing: after <paramref name="duration"/> (zero by default) it returns a valid
/// result of one epoch whose metrics are <see cref="Logits.Evaluate"/> of a few logits drawn from the
/// run's seed, so the whole lease, start, complete path through PostgreSQL is exercised at the cost
/// of the bookkeeping alone. For scheduler tests and the scheduler benchmark, never for results.
/// </summary>
public sealed class NoopRunExecutor(TimeSpan duration, TimeProvider clock) : IRunExecutor
{
    /// <summary>Test utterances per run.</summary>
    public const int Utterances = 4;

    private const int Classes = 4;

    public async Task<RunOutcome> ExecuteAsync(LeasedRun run, Action<int> onEpoch, CancellationToken cancellation)
    {
        if (duration > TimeSpan.Zero) await Task.Delay(duration, clock, cancellation);
        onEpoch(1);
        return RunOutcome.Succeeded(Result(run));
    }

    /// <summary>The run's result: the same for the same (configuration, fold, repeat).</summary>
    public static RunResult Result(LeasedRun run)
    {
        var seed = RunSeed.ForRun(run.ConfigurationKey, run.Fold, run.Repeat);
        var random = new Random(seed.Int32);
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Utterances; i++)
        {
            var id = $"noop{run.Fold:00}_{i:000}";
            logits[id] = [.. Enumerable.Range(0, Classes).Select(_ => random.NextSingle() * 2 - 1)];
            labels[id] = i % Classes;
        }
        var metrics = Logits.Evaluate(logits, labels);
        var epoch = new EpochReport(1, 1, 1.0, metrics.UnweightedAccuracy, Best: true, SamplesPerSecond: 0);
        return new RunResult(run.ConfigurationKey, run.Fold, run.Repeat, seed.Int64, metrics, EpochsRun: 1, BestEpoch: 1,
            ValidationUnweightedAccuracy: metrics.UnweightedAccuracy, WallTimeSeconds: 0, TrainingSamplesPerSecond: 0,
            logits, labels, ValidationIds: [], Epochs: [epoch], LayerWeights: new Dictionary<string, float[]>(StringComparer.Ordinal));
    }
}
