using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>The convolutional feature encoder: raw waveform to one vector per hop (20 ms for the released checkpoints).</summary>
public sealed class FeatureEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<FeatureEncoderConvBlock> conv_layers;

    public FeatureEncoder(Wav2Vec2Config config) : base("feature_extractor")
    {
        conv_layers = ModuleList(Enumerable.Range(0, config.ConvDim.Length).Select(i => new FeatureEncoderConvBlock(config, i,
            config.FeatExtractNorm == "layer" ? FeatureEncoderConvBlock.Norm.Layer
            : i == 0 ? FeatureEncoderConvBlock.Norm.Group
            : FeatureEncoderConvBlock.Norm.None)).ToArray());
        RegisterComponents();
    }

    /// <summary>(B, S) samples -> (B, C, T) features (after the last block's activation).</summary>
    public override Tensor forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var h = waveform.unsqueeze(1);                                          // (B, 1, S)
        foreach (var block in conv_layers) h = block.forward(h);                // (B, C_i, T_i)
        return h.MoveToOuterDisposeScope();
    }
}
