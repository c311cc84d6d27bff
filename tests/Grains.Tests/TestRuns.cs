using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Grains.Tests;

/// <summary>Grids and run results as a client and a worker make them, for the run and configuration grain tests.</summary>
internal static class TestRuns
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static string Store() => $"store-{Guid.NewGuid():N}"[..20];

    /// <summary>A grid of <paramref name="keys"/> (settings in brackets allowed: <c>late:T+F[lr=0.0001]</c>) on <paramref name="store"/>.</summary>
    public static SweepRequest Request(string name, string store, IReadOnlyList<string> keys, IReadOnlyList<int> folds, int repeats = 1) =>
        new(name, $"/data/stores/{store}", store, """{"encoders": "builtin"}""", $"name: {name}\n", folds, repeats, Priority: 0,
            keys.Select(Spec).ToList(), []);

    private static ConfigurationSpec Spec(string key)
    {
        var colon = key.IndexOf(':');
        var bracket = key.IndexOf('[');
        return new ConfigurationSpec(key, key[..colon], bracket < 0 ? key[(colon + 1)..] : key[(colon + 1)..bracket]);
    }

    /// <summary>A run result with real metrics of seeded logits (so UA differs from run to run), as a worker records it.</summary>
    public static RunResult Result(LeasedRun run, double wallSeconds = 10)
    {
        const int classes = 4;
        var seed = RunSeed.ForRun(run.ConfigurationKey, run.Fold, run.Repeat).Value;
        var random = new Random((int)seed);
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var id = $"Ses0{run.Fold}F_impro01_{i:D4}";
            labels[id] = i % classes;
            logits[id] = Enumerable.Range(0, classes).Select(c => random.NextSingle() + (c == i % classes ? 0.6f : 0f)).ToArray();
        }
        return new RunResult(run.ConfigurationKey, run.Fold, run.Repeat, seed, Logits.Evaluate(logits, labels),
            EpochsRun: 2, BestEpoch: 1, ValidationUnweightedAccuracy: 0.5, WallTimeSeconds: wallSeconds, TrainingSamplesPerSecond: 900,
            logits, labels, ["validation-1"], [new EpochReport(1, 12, 1.2, 0.5, true, 900), new EpochReport(2, 12, 1.0, 0.45, false, 910)],
            new Dictionary<string, float[]>(StringComparer.Ordinal));
    }
}
