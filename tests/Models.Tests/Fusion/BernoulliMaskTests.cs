using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>
/// The managed mask must be libtorch's MT19937 Bernoulli draw, value for value, and leave the generator
/// where that kernel would: runs reproduce their results only if it is. It is checked against a plain
/// MT19937 written here on every CPU, and against libtorch's own <c>bernoulli_</c> where libtorch uses
/// that kernel (every CPU but Intel's, where libtorch draws from MKL and the mask is ours alone).
/// </summary>
public sealed class BernoulliMaskTests
{
    private static readonly bool LibtorchDrawsWithMt19937 = !File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal) && l.Contains("GenuineIntel", StringComparison.Ordinal));

    [Fact]
    public void It_draws_what_MT19937_gives_and_each_draw_continues_where_the_last_left_the_generator()
    {
        using var scope = NewDisposeScope();
        using var managed = new Generator(20261127);
        var reference = new Mt19937(20261127);
        var sizes = new Random(7);
        foreach (var p in new[] { 0.8, 0.9, 0.5, 0.0, 1.0, 0.123 })
        {
            for (var draw = 0; draw < 12; draw++)
            {
                var n = draw < 10 ? sizes.Next(1, 1500) : sizes.Next(1, 300_000);   // short draws cross twists at every offset
                var expected = reference.Bernoulli(n, p);

                var actual = BernoulliMask.Draw(empty(n), p, managed).data<float>().ToArray();

                Assert.True(expected.AsSpan().SequenceEqual(actual), $"p {p}, draw {draw}, {n} elements");
            }
        }
        // Each draw above started from the state the one before wrote back into the generator.
        Assert.Equal(reference.Bernoulli(1000, 0.5), BernoulliMask.Draw(empty(1000), 0.5, managed).data<float>().ToArray());
    }

    [Fact]
    public void It_draws_libtorchs_values_and_leaves_the_generator_where_libtorch_would_where_libtorch_uses_MT19937()
    {
        using var scope = NewDisposeScope();
        using var libtorch = new Generator(20261127);
        using var managed = new Generator(20261127);
        var sizes = new Random(7);
        var mismatches = 0;
        foreach (var p in new[] { 0.8, 0.9, 0.5, 0.0, 1.0, 0.123 })
        {
            for (var draw = 0; draw < 12; draw++)
            {
                var n = draw < 10 ? sizes.Next(1, 1500) : sizes.Next(1, 300_000);
                var expected = empty(n).bernoulli_(p, libtorch);

                var actual = BernoulliMask.Draw(empty(n), p, managed);

                if (!expected.equal(actual).all().item<bool>()) mismatches++;
            }
        }
        if (LibtorchDrawsWithMt19937)
        {
            Assert.Equal(0, mismatches);
            Assert.True(empty(5000).bernoulli_(0.8, libtorch).equal(empty(5000).bernoulli_(0.8, managed)).all().item<bool>(), "libtorch continues from the same state");
            Assert.True(randn(64, generator: libtorch).equal(randn(64, generator: managed)).all().item<bool>(), "normal draws continue from the same state");
        }
        else
        {
            // Intel: libtorch draws from MKL, so its masks differ from ours, which is why ours are used everywhere.
            Assert.NotEqual(0, mismatches);
        }
    }

    [Fact]
    public void Dropout_keeps_what_the_managed_mask_keeps_and_scales_it()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 37, 16);
        using var reference = new Generator(3);
        var expected = x * BernoulliMask.Draw(x, 0.8, reference) / 0.8;
        using var generator = new Generator(3);
        var dropout = new RunDropout(0.2);
        dropout.train();

        Tensor actual;
        using (RunRandomness.Use(generator)) actual = dropout.forward(x);

        Assert.True(expected.equal(actual).all().item<bool>());
        var zeros = (actual == 0).sum().item<long>();
        Assert.InRange(zeros, 0.1 * x.numel(), 0.3 * x.numel());
    }

    [Fact]
    public void It_refuses_what_libtorch_would_fill_in_another_order()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        var transposed = zeros(3, 5).t();

        Assert.False(BernoulliMask.Applies(transposed));
        Assert.Throws<ArgumentException>(() => BernoulliMask.Draw(transposed, 0.5, generator));
    }

    /// <summary>
    /// MT19937 as Matsumoto and Nishimura define it (init_genrand, genrand_int32), and the Bernoulli draw of
    /// libtorch's CPU kernel: two words r1, r2 per element, 1 when ((r1 &lt;&lt; 32 | r2) mod 2^53) / 2^53 &lt; p.
    /// Written plainly, one word at a time, to check the vectorised one.
    /// </summary>
    private sealed class Mt19937
    {
        private readonly uint[] _state = new uint[624];
        private int _index = 624;

        public Mt19937(ulong seed)
        {
            _state[0] = (uint)seed;
            for (var i = 1; i < 624; i++) _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        }

        public uint Next()
        {
            if (_index == 624)
            {
                for (var i = 0; i < 624; i++)
                {
                    var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % 624] & 0x7fffffffu);
                    _state[i] = _state[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) == 0 ? 0u : 0x9908b0dfu);
                }
                _index = 0;
            }
            var z = _state[_index++];
            z ^= z >> 11;
            z ^= (z << 7) & 0x9d2c5680u;
            z ^= (z << 15) & 0xefc60000u;
            return z ^ (z >> 18);
        }

        public float[] Bernoulli(int n, double p)
        {
            var mask = new float[n];
            for (var i = 0; i < n; i++)
            {
                var k = (((ulong)Next() << 32) | Next()) & ((1UL << 53) - 1);
                mask[i] = k * (1.0 / (1UL << 53)) < p ? 1f : 0f;
            }
            return mask;
        }
    }
}
