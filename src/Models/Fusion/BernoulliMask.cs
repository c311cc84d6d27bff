using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// A dropout mask drawn in managed code: the values of libtorch's MT19937 Bernoulli kernel
/// (<c>empty_like(x).bernoulli_(p, generator)</c> on every CPU but Intel's), bit for bit, with the
/// generator left where that kernel leaves it, four to five times faster. That kernel calls a 64-bit
/// draw of the generator through a function pointer per element; dropout masks were about a fifth of
/// a frame model's training time (docs/benchmarks.md, "Training speed").
/// </summary>
/// <remarks>
/// It is used on every CPU, Intel's included, where libtorch itself draws <c>bernoulli_(p)</c> with
/// MKL from a seed instead (its <c>bernoulli_scalar_kernel</c> checks the vendor): so a run's masks,
/// and its result, do not depend on who made the CPU (training protocol 4). libtorch's CPU generator
/// is MT19937 (<c>at::mt19937</c>); its state travels through <see cref="Generator.get_state"/> as the
/// byte layout of <c>CPUGeneratorImplState</c>: the initial seed (8 bytes), <c>left</c> (int32 at 8),
/// <c>seeded</c>, <c>next</c> (uint64 at 16), the 624 state words as uint64 (from 24), then the cached
/// normal samples, which are written back untouched. Each element takes two 32-bit draws r1, r2, the
/// uniform <c>((r1 &lt;&lt; 32 | r2) &amp; (2^53 - 1)) / 2^53</c> and compares it with p
/// (<c>at::bernoulli_distribution&lt;double&gt;</c>), so it is 1 exactly when that 53-bit integer is
/// below p * 2^53. The tests compare it with a plain MT19937 on every CPU and with libtorch's kernel
/// where libtorch uses it.
/// </remarks>
public static class BernoulliMask
{
    private const int N = 624;
    private const int M = 397;
    private const int StateOffset = 24;
    private const int ChunkElements = 2048;

    /// <summary>Whether <see cref="Draw"/> takes <paramref name="like"/>: contiguous float32 on the CPU.</summary>
    public static bool Applies(Tensor like) => like.device_type == TorchSharp.DeviceType.CPU && like.dtype == ScalarType.Float32 && like.is_contiguous();

    /// <summary>
    /// A new float32 tensor shaped like <paramref name="like"/> (CPU, contiguous), 1 with probability
    /// <paramref name="p"/> and 0 otherwise, equal to <c>empty_like(like).bernoulli_(p, generator)</c>
    /// where libtorch draws with MT19937; <paramref name="generator"/> advances as that kernel advances it.
    /// </summary>
    public static Tensor Draw(Tensor like, double p, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(like);
        ArgumentNullException.ThrowIfNull(generator);
        if (!Applies(like))
            throw new ArgumentException($"BernoulliMask draws masks like contiguous float32 CPU tensors; got a{(like.is_contiguous() ? "" : " non-contiguous")} {like.dtype} tensor on {like.device}.", nameof(like));
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability lies in [0, 1].");
        var mask = empty(like.shape, ScalarType.Float32, CPU);
        using var state = generator.get_state();                                   // uint8 (5056)
        var bytes = state.bytes;
        if (bytes.Length < StateOffset + N * 8)
            throw new InvalidOperationException($"Unexpected CPU generator state of {bytes.Length} bytes.");
        var left = MemoryMarshal.Read<int>(bytes[8..]);
        var next = (int)MemoryMarshal.Read<ulong>(bytes[16..]);
        if (left < 1 || left > N || next < 0 || next > N)
            throw new InvalidOperationException($"Unexpected MT19937 position (left {left}, next {next}).");
        var stored = MemoryMarshal.Cast<byte, ulong>(bytes.Slice(StateOffset, N * 8));
        var words = new uint[N];
        for (var i = 0; i < N; i++) words[i] = (uint)stored[i];

        // Keep iff the 53-bit integer k < p * 2^53 (exact: scaling by a power of two), i.e. k < ceil(p * 2^53).
        var threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
        var available = left - 1;                                                  // words before the next twist
        var values = MemoryMarshal.Cast<byte, float>(mask.bytes);
        var drawn = new uint[2 * ChunkElements];
        for (var start = 0; start < values.Length; start += ChunkElements)
        {
            var count = Math.Min(ChunkElements, values.Length - start);
            var filled = 0;
            while (filled < 2 * count)
            {
                if (available == 0)
                {
                    Twist(words);
                    next = 0;
                    available = N;
                }
                var take = Math.Min(available, 2 * count - filled);
                Temper(words.AsSpan(next, take), drawn.AsSpan(filled, take));
                next += take;
                available -= take;
                filled += take;
            }
            Compare(drawn.AsSpan(0, 2 * count), values.Slice(start, count), threshold);
        }

        for (var i = 0; i < N; i++) stored[i] = words[i];
        left = available + 1;
        MemoryMarshal.Write(bytes[8..], in left);
        var nextWord = (ulong)next;
        MemoryMarshal.Write(bytes[16..], in nextWord);
        generator.set_state(state);
        return mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compare(ReadOnlySpan<uint> drawn, Span<float> values, ulong threshold)
    {
        // k = the low 53 bits of r1 << 32 | r2; 1 where k < threshold: the sign of k - threshold (both below 2^63).
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var pairs = MemoryMarshal.Cast<uint, ulong>(drawn);                    // r1 | r2 << 32 (little-endian)
            var low = Vector256.Create(0x1FFFFFUL);
            var limit = Vector256.Create(threshold);
            for (; j + 8 <= values.Length; j += 8)
            {
                var a = Vector256.Create(pairs.Slice(j, 4));
                var b = Vector256.Create(pairs.Slice(j + 4, 4));
                var ka = ((a & low) << 32) | (a >> 32);
                var kb = ((b & low) << 32) | (b >> 32);
                var bits = Vector256.Narrow((ka - limit) >> 63, (kb - limit) >> 63); // (8) 0 or 1, in order
                Vector256.ConvertToSingle(bits.AsInt32()).CopyTo(values.Slice(j, 8));
            }
        }
        for (; j < values.Length; j++)
        {
            var k = ((ulong)(drawn[2 * j] & 0x1FFFFF) << 32) | drawn[2 * j + 1];
            values[j] = (int)((k - threshold) >> 63);
        }
    }

    /// <summary>MT19937's output function, eight words at a time where AVX2 allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Temper(ReadOnlySpan<uint> state, Span<uint> output)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var b = Vector256.Create(0x9d2c5680u);
            var c = Vector256.Create(0xefc60000u);
            for (; i + 8 <= state.Length; i += 8)
            {
                var y = Vector256.Create(state.Slice(i, 8));
                y ^= Vector256.ShiftRightLogical(y, 11);
                y ^= Vector256.ShiftLeft(y, 7) & b;
                y ^= Vector256.ShiftLeft(y, 15) & c;
                y ^= Vector256.ShiftRightLogical(y, 18);
                y.CopyTo(output.Slice(i, 8));
            }
        }
        for (; i < state.Length; i++)
        {
            var y = state[i];
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c5680u;
            y ^= (y << 15) & 0xefc60000u;
            y ^= y >> 18;
            output[i] = y;
        }
    }

    /// <summary>MT19937's state transition (<c>at::mt19937::next_state</c>), eight words at a time where AVX2 allows.</summary>
    /// <remarks>
    /// Word k becomes s[k + M] ^ Mix(s[k], s[k + 1]) (indices mod N) in increasing k: for k &lt; N - M it
    /// reads words not yet replaced, after that words k + M - N already replaced, so a block of eight
    /// reads nothing that the same block writes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Twist(uint[] s)
    {
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + 8 <= N - M; k += 8) Step(s, k, k + M).CopyTo(s.AsSpan(k, 8));
            for (; k < N - M; k++) s[k] = s[k + M] ^ Mix(s[k], s[k + 1]);
            for (; k + 8 <= N - 1; k += 8) Step(s, k, k + M - N).CopyTo(s.AsSpan(k, 8));
        }
        for (; k < N - M; k++) s[k] = s[k + M] ^ Mix(s[k], s[k + 1]);
        for (; k < N - 1; k++) s[k] = s[k + M - N] ^ Mix(s[k], s[k + 1]);
        s[N - 1] = s[M - 1] ^ Mix(s[N - 1], s[0]);
    }

    /// <summary>Words at..at+7 of the next state: s[from..from+7] ^ Mix(s[at..at+7], s[at+1..at+8]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Step(uint[] s, int at, int from)
    {
        var u = Vector256.Create(s.AsSpan(at, 8));
        var v = Vector256.Create(s.AsSpan(at + 1, 8));
        var odd = Vector256.Equals(v & Vector256<uint>.One, Vector256<uint>.One);
        var mixed = Vector256.ShiftRightLogical((u & Vector256.Create(0x80000000u)) | (v & Vector256.Create(0x7fffffffu)), 1) ^ (odd & Vector256.Create(0x9908b0dfu));
        return Vector256.Create(s.AsSpan(from, 8)) ^ mixed;
    }

    private static uint Mix(uint u, uint v) => (((u & 0x80000000u) | (v & 0x7fffffffu)) >> 1) ^ ((0u - (v & 1)) & 0x9908b0dfu);   // branch-free: v's low bit is a coin flip
}
