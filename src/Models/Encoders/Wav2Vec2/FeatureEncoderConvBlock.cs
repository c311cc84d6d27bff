using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// One block of the convolutional feature encoder: conv, optional norm, activation.
/// HF spreads this over three classes (NoLayerNorm / GroupNorm / LayerNorm ConvLayer); the norm is
/// GroupNorm(C groups, C channels) = per-channel normalisation over the whole time axis (base,
/// first block only), or LayerNorm over channels at every frame (large-lv60, every block).
/// </summary>
public sealed class FeatureEncoderConvBlock : Module<Tensor, Tensor>
{
    /// <summary>Which normalisation follows the convolution.</summary>
    public enum Norm { None, Group, Layer }

    private readonly Conv1d conv;
    private readonly Module<Tensor, Tensor>? layer_norm;
    private readonly Norm _norm;
    private readonly Func<Tensor, Tensor> _activation;

    public FeatureEncoderConvBlock(Wav2Vec2Config config, int index, Norm norm) : base($"conv_layers.{index}")
    {
        var inChannels = index == 0 ? 1 : config.ConvDim[index - 1];
        var outChannels = config.ConvDim[index];
        conv = Conv1d(inChannels, outChannels, config.ConvKernel[index], stride: config.ConvStride[index], bias: config.ConvBias);
        layer_norm = norm switch
        {
            Norm.Group => GroupNorm(outChannels, outChannels, eps: 1e-5, affine: true),
            Norm.Layer => LayerNorm(outChannels, eps: 1e-5),
            _ => null,
        };
        _norm = norm;
        _activation = Activations.Get(config.FeatExtractActivation);
        RegisterComponents();
    }

    /// <summary>(B, C_in, T_in) -> (B, C_out, T_out), T_out = (T_in - kernel) / stride + 1.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv.forward(x);                                                // (B, C, T)
        h = _norm switch
        {
            Norm.Group => layer_norm!.forward(h),
            Norm.Layer => layer_norm!.forward(h.transpose(-2, -1)).transpose(-2, -1), // LayerNorm over C at each frame
            _ => h,
        };
        return _activation(h).MoveToOuterDisposeScope();
    }
}
