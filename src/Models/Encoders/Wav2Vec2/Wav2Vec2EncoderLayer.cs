using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// One transformer layer. The parameters are the same in both families; only where the two
/// LayerNorms sit differs: post-LN (base, HF <c>Wav2Vec2EncoderLayer</c>) or pre-LN
/// (do_stable_layer_norm, HF <c>Wav2Vec2EncoderLayerStableLayerNorm</c>).
/// </summary>
public sealed class Wav2Vec2EncoderLayer : Module<Tensor, Tensor?, Tensor>
{
    private readonly Wav2Vec2Attention attention;
    private readonly LayerNorm layer_norm;
    private readonly Wav2Vec2FeedForward feed_forward;
    private readonly LayerNorm final_layer_norm;
    private readonly bool _preNorm;

    public Wav2Vec2EncoderLayer(Wav2Vec2Config config, int index) : base($"layers.{index}")
    {
        attention = new Wav2Vec2Attention(config);
        layer_norm = LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        feed_forward = new Wav2Vec2FeedForward(config);
        final_layer_norm = LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        _preNorm = config.DoStableLayerNorm;
        RegisterComponents();
    }

    /// <summary>(B, T, H), optional key mask (B, 1, 1, T) as <see cref="Wav2Vec2Attention"/> takes it -> (B, T, H).</summary>
    public override Tensor forward(Tensor x, Tensor? keyMask = null)
    {
        using var scope = NewDisposeScope();
        Tensor h;
        if (_preNorm)
        {
            h = x + attention.forward(layer_norm.forward(x), keyMask);
            h = h + feed_forward.forward(final_layer_norm.forward(h));
        }
        else
        {
            h = layer_norm.forward(x + attention.forward(x, keyMask));
            h = final_layer_norm.forward(h + feed_forward.forward(h));
        }
        return h.MoveToOuterDisposeScope();
    }
}
