using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>One post-LN transformer layer: attention block, then feed-forward block, each with residual + LayerNorm.</summary>
public sealed class BertLayer : Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config, int index) : base($"layer.{index}")
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>(B, L, H), additive mask -> (B, L, H).</summary>
    public override Tensor forward(Tensor x, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var h = attention.forward(x, additiveMask);
        return output.forward(intermediate.forward(h), h).MoveToOuterDisposeScope();
    }
}
