using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>The feed-forward expansion: activation(dense H -> I).</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> _activation;

    public BertIntermediate(BertConfig config) : base("intermediate")
    {
        dense = Linear(config.HiddenSize, config.IntermediateSize);
        _activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <summary>(B, L, H) -> (B, L, I).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _activation(dense.forward(x)).MoveToOuterDisposeScope();
    }
}
