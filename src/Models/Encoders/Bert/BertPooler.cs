using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>tanh(dense(h[:, 0])): the [CLS] vector through the NSP pooler.</summary>
public sealed class BertPooler : Module<Tensor, Tensor>
{
    private readonly Linear dense;

    public BertPooler(BertConfig config) : base("pooler")
    {
        dense = Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>(B, L, H) -> (B, H).</summary>
    public override Tensor forward(Tensor lastHiddenState)
    {
        using var scope = NewDisposeScope();
        return dense.forward(lastHiddenState[.., 0]).tanh().MoveToOuterDisposeScope();
    }
}
