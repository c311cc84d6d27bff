using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// Positional convolution plus the transformer layers, returning every hidden state as HF's
/// <c>output_hidden_states</c> does (L + 1 tensors, the last = last_hidden_state). Where the
/// encoder LayerNorm sits decides what hidden_states[0] and [L] mean:
/// <list type="bullet">
/// <item>base (HF <c>Wav2Vec2Encoder</c>): [0] = LN(x + pos_conv(x)) = input of layer 1; [i] = output of layer i.</item>
/// <item>stable layer norm (HF <c>Wav2Vec2EncoderStableLayerNorm</c>): [0] = x + pos_conv(x), no LN;
/// [i &lt; L] = output of layer i; [L] = LN(output of layer L).</item>
/// </list>
/// </summary>
public sealed class Wav2Vec2TransformerEncoder : Module<Tensor, Tensor?, IReadOnlyList<Tensor>>
{
    private readonly PositionalConvEmbedding pos_conv_embed;
    private readonly LayerNorm layer_norm;
    private readonly ModuleList<Wav2Vec2EncoderLayer> layers;
    private readonly bool _stable;

    public Wav2Vec2TransformerEncoder(Wav2Vec2Config config) : base("encoder")
    {
        pos_conv_embed = new PositionalConvEmbedding(config);
        layer_norm = LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        layers = ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new Wav2Vec2EncoderLayer(config, i)).ToArray());
        _stable = config.DoStableLayerNorm;
        RegisterComponents();
    }

    /// <summary>
    /// (B, T, H) projected features, optional frame mask (B, T) bool (true = real frame) -> L + 1
    /// tensors of (B, T, H); values at padded frames are meaningless. As HF does, padded frames are
    /// zeroed before the positional convolution, which then sees what an unpadded utterance's
    /// zero padding shows it, and are masked out of every attention.
    /// </summary>
    public override IReadOnlyList<Tensor> forward(Tensor x, Tensor? frameMask = null)
    {
        var states = new List<Tensor>(layers.Count + 1);
        Tensor? keyMask = null;
        if (frameMask is not null)
        {
            x = x * frameMask.unsqueeze(-1).to_type(x.dtype);                  // (B, T, H), padding zeroed
            keyMask = (frameMask.logical_not().to_type(x.dtype) * float.MinValue).unsqueeze(1).unsqueeze(1); // (B, 1, 1, T)
        }
        var h = x + pos_conv_embed.forward(x);                                  // (B, T, H)
        if (!_stable) h = layer_norm.forward(h);
        foreach (var layer in layers)
        {
            states.Add(h);
            h = layer.forward(h, keyMask);
        }
        states.Add(_stable ? layer_norm.forward(h) : h);
        return states;
    }
}
