using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>Multi-head self-attention as HF's <c>Wav2Vec2Attention</c> (q scaled by head_dim^-1/2 before the product).</summary>
public sealed class Wav2Vec2Attention : Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear q_proj;
    private readonly Linear out_proj;
    private readonly int _heads;
    private readonly double _scaling;

    public Wav2Vec2Attention(Wav2Vec2Config config) : base("attention")
    {
        var width = config.HiddenSize;
        k_proj = Linear(width, width);
        v_proj = Linear(width, width);
        q_proj = Linear(width, width);
        out_proj = Linear(width, width);
        _heads = config.NumAttentionHeads;
        _scaling = Math.Pow(width / _heads, -0.5);
        RegisterComponents();
    }

    /// <summary>
    /// (B, T, H) -> (B, T, H). <paramref name="keyMask"/> (B, 1, 1, T): 0 for real frames, a large
    /// negative number for padding (HF's extended attention mask); null when nothing is padded.
    /// </summary>
    public override Tensor forward(Tensor x, Tensor? keyMask = null)
    {
        using var scope = NewDisposeScope();
        var (b, t, h) = (x.shape[0], x.shape[1], x.shape[2]);
        var headSize = h / _heads;
        var q = (q_proj.forward(x) * _scaling).view(b, t, _heads, headSize).transpose(1, 2);  // (B, nh, T, hs)
        var k = k_proj.forward(x).view(b, t, _heads, headSize).transpose(1, 2);               // (B, nh, T, hs)
        var v = v_proj.forward(x).view(b, t, _heads, headSize).transpose(1, 2);               // (B, nh, T, hs)
        var scores = q.matmul(k.transpose(-2, -1));                                            // (B, nh, T, T)
        if (keyMask is not null) scores = scores + keyMask;
        var weights = F.softmax(scores, dim: -1);                                              // (B, nh, T, T)
        var context = weights.matmul(v).transpose(1, 2).reshape(b, t, h);                     // (B, T, H)
        return out_proj.forward(context).MoveToOuterDisposeScope();
    }
}
