using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>Multi-head self-attention with an additive key mask (HF <c>BertSelfAttention</c>, eager).</summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int _heads;

    public BertSelfAttention(BertConfig config) : base("self")
    {
        query = Linear(config.HiddenSize, config.HiddenSize);
        key = Linear(config.HiddenSize, config.HiddenSize);
        value = Linear(config.HiddenSize, config.HiddenSize);
        _heads = config.NumAttentionHeads;
        RegisterComponents();
    }

    /// <summary>(B, L, H) and an additive mask broadcastable to (B, nh, L, L) -> (B, L, H).</summary>
    public override Tensor forward(Tensor x, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var (b, l, h) = (x.shape[0], x.shape[1], x.shape[2]);
        var headSize = h / _heads;
        var q = query.forward(x).view(b, l, _heads, headSize).transpose(1, 2);              // (B, nh, L, hs)
        var k = key.forward(x).view(b, l, _heads, headSize).transpose(1, 2);                // (B, nh, L, hs)
        var v = value.forward(x).view(b, l, _heads, headSize).transpose(1, 2);              // (B, nh, L, hs)
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(headSize) + additiveMask;    // (B, nh, L, L)
        var context = F.softmax(scores, dim: -1).matmul(v);                                 // (B, nh, L, hs)
        return context.transpose(1, 2).reshape(b, l, h).MoveToOuterDisposeScope();          // (B, L, H)
    }
}
