using Orchestrator.Database;

namespace Orchestrator.Silo.Tests;

/// <summary>Grid sweeps over the tiny store, submitted straight to the run queue.</summary>
public static class Sweeps
{
    /// <summary>Every configuration of <paramref name="keys"/> x <paramref name="folds"/> x repeats 1..<paramref name="repeats"/>.</summary>
    public static SweepSubmission Of(string name, TinyStore store, IReadOnlyList<string> keys, IReadOnlyList<int> folds, int repeats = 1, int maxAttempts = 3) =>
        new(name, store.Fingerprint, store.Directory, "{}", $"name: {name}\n", repeats, Priority: 0, folds,
            keys.Select(Configuration).ToList(), [], maxAttempts);

    /// <summary>The configuration row of a key, as the grid reader makes it (settings are carried by the key).</summary>
    public static ConfigurationRow Configuration(string key)
    {
        var colon = key.IndexOf(':');
        var bracket = key.IndexOf('[');
        return new ConfigurationRow(key, key[..colon], bracket < 0 ? key[(colon + 1)..] : key[(colon + 1)..bracket], "{}");
    }
}
