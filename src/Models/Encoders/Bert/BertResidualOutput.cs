using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>
/// dense, residual, LayerNorm: LN(dense(x) + residual). HF has it twice under two names,
/// <c>attention.output</c> (BertSelfOutput, H -> H) and <c>output</c> (BertOutput, I -> H).
/// </summary>
public sealed class BertResidualOutput : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;

    public BertResidualOutput(BertConfig config, int inFeatures) : base("output")
    {
        dense = Linear(inFeatures, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>(B, L, in) and the (B, L, H) residual -> (B, L, H).</summary>
    public override Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dense.forward(x) + residual).MoveToOuterDisposeScope();
    }
}
