using Orchestrator.Models.Training;

namespace Orchestrator.Database.Tests;

/// <summary>
/// Run results with real metrics (<see cref="Logits.Evaluate"/> of seeded random logits), and the
/// sweeps that ask for them. Every configuration of a fold tests on the same utterances with the
/// same labels, as real runs do, so any two runs of a fold and repeat combine.
/// </summary>
internal static class TestRuns
{
    public const int Classes = 4;

    /// <summary>The test utterance ids of a fold (hostile characters included: ids are data).</summary>
    public static string UtteranceId(int fold, int index) => $"Ses0{fold}F_impro01_{index:D4}";

    /// <summary>
    /// A run of <paramref name="key"/> whose logits favour the true class in about
    /// <paramref name="skill"/> of the utterances; <paramref name="collapsed"/> makes class 3 never predicted.
    /// </summary>
    public static RunResult Make(string key, int fold, int repeat, int utterances = 40, double skill = 0.6, bool collapsed = false,
        Func<int, int, string>? ids = null)
    {
        ids ??= UtteranceId;
        var seed = RunSeed.ForRun(key, fold, repeat).Value;
        var random = new Random((int)seed);
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < utterances; i++)
        {
            var id = ids(fold, i);
            var label = (i * 7 + fold) % Classes;
            var row = Enumerable.Range(0, Classes).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            if (random.NextDouble() < skill) row[label] += 1.5f;
            if (collapsed) row[3] = -10;
            logits[id] = row;
            labels[id] = label;
        }
        var epochs = Enumerable.Range(1, 4).Select(e => new EpochReport(e, 100, 1.4 / e + random.NextDouble() / 10, 0.3 + random.NextDouble() / 2, e == 2, 800 + random.NextDouble() * 100)).ToList();
        return new RunResult(key, fold, repeat, seed, Logits.Evaluate(logits, labels),
            EpochsRun: epochs.Count, BestEpoch: 2, ValidationUnweightedAccuracy: epochs[1].ValidationUnweightedAccuracy,
            WallTimeSeconds: 10 + random.NextDouble() * 10, TrainingSamplesPerSecond: 850 + random.NextDouble() * 50,
            logits, labels, [$"Ses0{fold % 5 + 1}M_script02_0001", $"Ses0{fold % 5 + 1}M_script02_0002"], epochs,
            new Dictionary<string, float[]>(StringComparer.Ordinal)
            {
                ["weighting.text"] = Enumerable.Range(0, 13).Select(_ => random.NextSingle() / 13).ToArray(),
                ["weighting.frame"] = Enumerable.Range(0, 12).Select(_ => random.NextSingle() / 12).ToArray(),
            });
    }

    /// <summary>A configuration row from its key, as the grid reader would make it.</summary>
    public static ConfigurationRow Configuration(string key)
    {
        var colon = key.IndexOf(':');
        var bracket = key.IndexOf('[');
        var streams = bracket < 0 ? key[(colon + 1)..] : key[(colon + 1)..bracket];
        return new ConfigurationRow(key, key[..colon], streams, bracket < 0 ? "{}" : """{"lr": 0.0001}""");
    }

    public static SweepSubmission Sweep(string name, string store, IReadOnlyList<string> keys, int folds = 2, int repeats = 1, int priority = 0,
        IReadOnlyList<(string, string)>? combinations = null, int maxAttempts = 3) =>
        new(name, store, $"/data/stores/{store}", """{"encoders": "builtin"}""", $"name: {name}\n", repeats, priority,
            Enumerable.Range(1, folds).ToList(), keys.Select(Configuration).ToList(), combinations ?? [], maxAttempts);

    /// <summary>Leases, starts and completes every run it can as <paramref name="worker"/>; the results recorded, by run id.</summary>
    public static async Task<Dictionary<long, RunResult>> CompleteAllAsync(RunQueue queue, string worker, Func<LeasedRun, RunResult>? result = null)
    {
        result ??= run => Make(run.ConfigurationKey, run.Fold, run.Repeat);
        var recorded = new Dictionary<long, RunResult>();
        while (await queue.LeaseAsync(worker, 8, TimeSpan.FromMinutes(5)) is { Count: > 0 } leased)
            foreach (var run in leased)
            {
                Assert.True(await queue.StartAsync(run.RunId, worker));
                var made = result(run);
                Assert.True(await queue.CompleteAsync(run.RunId, worker, made));
                recorded[run.RunId] = made;
            }
        return recorded;
    }
}
