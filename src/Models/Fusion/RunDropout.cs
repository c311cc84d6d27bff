using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Inverted dropout (as <c>nn.Dropout</c>: zero with probability p in training, scale the rest by
/// 1 / (1 - p), identity in evaluation) whose mask comes from <see cref="RunRandomness.Current"/>, so
/// runs training in parallel threads stay reproducible.
/// </summary>
public sealed class RunDropout : Module<Tensor, Tensor>
{
    private readonly double _p;

    public RunDropout(double p, string name = "dropout") : base(name)
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must lie in [0, 1).");
        _p = p;
    }

    /// <summary>Any shape -> the same shape.</summary>
    public override Tensor forward(Tensor x)
    {
        if (!training || _p == 0) return x.alias();
        if (RunRandomness.Current is not { } generator) return functional.dropout(x, _p, training: true);
        using var scope = NewDisposeScope();
        // 1 with probability 1 - p; drawn in managed code on every CPU vendor (BernoulliMask), libtorch's kernel for other layouts.
        var keep = BernoulliMask.Applies(x)
            ? BernoulliMask.Draw(x, 1 - _p, generator)
            : empty_like(x).bernoulli_(1 - _p, generator);
        using var survivors = (1 - _p).ToScalar();
        return (x * keep).div_(survivors).MoveToOuterDisposeScope();          // in place: mul saves its inputs, not its output
    }
}
