using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// wav2vec 2.0's relative position signal: a wide grouped convolution over time ("same" padding,
/// the extra last frame dropped for even kernels), then the activation. Added to its input by the encoder.
/// </summary>
public sealed class PositionalConvEmbedding : Module<Tensor, Tensor>
{
    private readonly WeightNormConv1d conv;
    private readonly bool _dropLastFrame;
    private readonly Func<Tensor, Tensor> _activation;

    public PositionalConvEmbedding(Wav2Vec2Config config) : base("pos_conv_embed")
    {
        var kernel = config.NumConvPosEmbeddings;
        conv = new WeightNormConv1d(config.HiddenSize, kernel, config.NumConvPosEmbeddingGroups, padding: kernel / 2);
        _dropLastFrame = kernel % 2 == 0;
        _activation = Activations.Get(config.FeatExtractActivation);
        RegisterComponents();
    }

    /// <summary>(B, T, H) -> (B, T, H).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv.forward(x.transpose(1, 2));                               // (B, H, T + 1 if K even else T)
        if (_dropLastFrame) h = h[.., .., ..^1];                                // (B, H, T)
        return _activation(h).transpose(1, 2).MoveToOuterDisposeScope();       // (B, T, H)
    }
}
