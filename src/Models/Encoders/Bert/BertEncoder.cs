using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>The layer stack; returns its input and every layer's output (HF hidden_states, L + 1 tensors).</summary>
public sealed class BertEncoder : Module<Tensor, Tensor, IReadOnlyList<Tensor>>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig config) : base("encoder")
    {
        layer = ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new BertLayer(config, i)).ToArray());
        RegisterComponents();
    }

    /// <summary>(B, L, H) embeddings, additive mask -> L + 1 tensors of (B, L, H).</summary>
    public override IReadOnlyList<Tensor> forward(Tensor embeddings, Tensor additiveMask)
    {
        var states = new List<Tensor>(layer.Count + 1) { embeddings };
        foreach (var block in layer) states.Add(block.forward(states[^1], additiveMask));
        return states;
    }
}
