using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// A grouped Conv1d whose weight is stored weight-normalised as in hub checkpoints
/// (<c>torch.nn.utils.weight_norm(conv, dim=2)</c>): weight = g * v / ||v||, the norm taken over
/// the output and input-channel axes separately for every kernel tap, so g is (1, 1, K).
/// </summary>
public sealed class WeightNormConv1d : Module<Tensor, Tensor>
{
    private readonly Parameter weight_g;
    private readonly Parameter weight_v;
    private readonly Parameter bias;
    private readonly long _padding;
    private readonly long _groups;

    public WeightNormConv1d(long channels, long kernel, long groups, long padding) : base("conv")
    {
        if (channels % groups != 0) throw new ArgumentException($"{channels} channels are not divisible into {groups} groups.");
        weight_g = Parameter(ones(1, 1, kernel));
        weight_v = Parameter(randn(channels, channels / groups, kernel) * 0.02);
        bias = Parameter(zeros(channels));
        _padding = padding;
        _groups = groups;
        RegisterComponents();
    }

    /// <summary>(B, C, T) -> (B, C, T + 2 * padding - K + 1).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // torch._weight_norm(v, g, dim=2) = v * (g / norm_except_dim(v, 2, dim=2)), in that order.
        var norm = weight_v.pow(2).sum([0, 1], keepdim: true).sqrt();         // (1, 1, K)
        var weight = weight_v * (weight_g / norm);                              // (C, C / groups, K)
        return F.conv1d(x, weight, bias, stride: 1, padding: _padding, dilation: 1, groups: _groups).MoveToOuterDisposeScope();
    }
}
