namespace Orchestrator.Models.Synthesis;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output is fixed by this code alone,
/// not by a runtime's implementation of <see cref="Random"/>, and that splits into independent
/// streams cheaply, so each utterance can draw its own numbers whatever the others drew.
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private ulong state = seed;

    /// <summary>An independent stream named by <paramref name="salt"/>; does not advance this one.</summary>
    public DeterministicRandom Fork(ulong salt) => new(Mix(state ^ Mix(salt + 0x9E3779B97F4A7C15UL)));

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(NextDouble() * count);
    }

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian() =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble())) * Math.Cos(2.0 * Math.PI * NextDouble());

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher-Yates, in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
