using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Models.Training;

/// <summary>
/// A run's seed: 63 bits of SHA-256 over a versioned, length-prefixed encoding of what identifies
/// the run, so it is the same in every process, on every machine and every .NET version
/// (<see cref="string.GetHashCode()"/> is randomised per process and could not be used).
/// </summary>
/// <remarks>
/// Two derivations exist (method.md section 6). <see cref="ForRun"/> hashes (configuration key,
/// fold, repeat): weight initialisation, dropout and batch order differ between configurations.
/// <see cref="ForRepeat"/> hashes the repeat alone: it draws the validation split, which must be
/// the same for every configuration of a repeat so their test logits can be combined (Table 3).
/// The value is kept non-negative (top bit cleared) so it fits a signed 64-bit column and
/// <c>torch.manual_seed(long)</c> unchanged. Changing the encoding or the domain strings changes
/// every split and seed: bump the version in the domain instead of editing it silently.
/// </remarks>
/// <param name="Value">The seed, in [0, 2^63).</param>
public readonly record struct RunSeed(long Value)
{
    private const string RunDomain = "orchestrator/run-seed/v1";
    private const string RepeatDomain = "orchestrator/repeat-seed/v1";

    /// <summary>The seed of one training run: configuration <paramref name="configurationKey"/>, fold and repeat as the plan numbers them.</summary>
    public static RunSeed ForRun(string configurationKey, int fold, int repeat)
    {
        ArgumentException.ThrowIfNullOrEmpty(configurationKey);
        return Hash(RunDomain, configurationKey, fold, repeat);
    }

    /// <summary>The seed shared by every configuration of repeat <paramref name="repeat"/> (the validation splits).</summary>
    public static RunSeed ForRepeat(int repeat) => Hash(RepeatDomain, "", 0, repeat);

    /// <summary>For <c>torch.manual_seed</c>.</summary>
    public long Int64 => Value;

    /// <summary>A non-negative 31-bit seed for APIs that take an int (<see cref="Random"/>): the top bits of <see cref="Value"/>.</summary>
    public int Int32 => (int)(Value >> 32);

    /// <summary>For generators seeded with 64 unsigned bits (SplitMix64).</summary>
    public ulong UInt64 => (ulong)Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static RunSeed Hash(string domain, string key, int fold, int repeat)
    {
        // domain bytes, 0, key length (int32 LE), key UTF-8, fold (int32 LE), repeat (int32 LE):
        // length-prefixing keeps ("ab", 1) and ("a", ...) from ever encoding alike.
        var domainBytes = Encoding.UTF8.GetBytes(domain);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var buffer = new byte[domainBytes.Length + 1 + 4 + keyBytes.Length + 4 + 4];
        var span = buffer.AsSpan();
        domainBytes.CopyTo(span);
        span = span[(domainBytes.Length + 1)..];
        BinaryPrimitives.WriteInt32LittleEndian(span, keyBytes.Length);
        keyBytes.CopyTo(span[4..]);
        span = span[(4 + keyBytes.Length)..];
        BinaryPrimitives.WriteInt32LittleEndian(span, fold);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], repeat);
        var digest = SHA256.HashData(buffer);
        return new RunSeed((long)(BinaryPrimitives.ReadUInt64LittleEndian(digest) & long.MaxValue));
    }
}
