using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>Self-attention followed by its residual LayerNorm (post-LN).</summary>
public sealed class BertAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(BertConfig config) : base("attention")
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>(B, L, H), additive mask -> (B, L, H).</summary>
    public override Tensor forward(Tensor x, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        return output.forward(self.forward(x, additiveMask), x).MoveToOuterDisposeScope();
    }
}
