using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>
/// The managed mask must be libtorch's, value for value, and leave the generator where libtorch
/// would: runs reproduce their results only if it is. On Intel CPUs libtorch draws with MKL and
/// <see cref="BernoulliMask.Supported"/> is false (nothing to compare: RunDropout keeps libtorch's kernel).
/// </summary>
public sealed class BernoulliMaskTests
{
    [Fact]
    public void It_draws_libtorchs_values_and_leaves_the_generator_where_libtorch_would()
    {
        if (!BernoulliMask.Supported) return;
        using var scope = NewDisposeScope();
        using var libtorch = new Generator(20261127);
        using var managed = new Generator(20261127);
        var sizes = new Random(7);
        foreach (var p in new[] { 0.8, 0.9, 0.5, 0.0, 1.0, 0.123 })
        {
            for (var draw = 0; draw < 12; draw++)
            {
                var n = draw < 10 ? sizes.Next(1, 1500) : sizes.Next(1, 300_000);   // short draws cross twists at every offset
                var expected = empty(n).bernoulli_(p, libtorch);

                var actual = BernoulliMask.Draw(empty(n), p, managed);

                Assert.True(expected.equal(actual).all().item<bool>(), $"p {p}, draw {draw}, {n} elements");
            }
        }
        Assert.True(empty(5000).bernoulli_(0.8, libtorch).equal(empty(5000).bernoulli_(0.8, managed)).all().item<bool>(), "libtorch continues from the same state");
        Assert.True(randn(64, generator: libtorch).equal(randn(64, generator: managed)).all().item<bool>(), "normal draws continue from the same state");
    }

    [Fact]
    public void Dropout_gives_what_libtorchs_mask_gives()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 37, 16);
        using var reference = new Generator(3);
        var expected = x * empty_like(x).bernoulli_(0.8, reference) / 0.8;          // RunDropout before the managed mask
        using var generator = new Generator(3);
        var dropout = new RunDropout(0.2);
        dropout.train();

        Tensor actual;
        using (RunRandomness.Use(generator)) actual = dropout.forward(x);

        Assert.True(expected.equal(actual).all().item<bool>());
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
}
