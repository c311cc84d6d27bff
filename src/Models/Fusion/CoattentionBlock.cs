using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// The coattention block of one speech stream i with text (method.md section 5):
/// <see cref="ModelOptions.CoattentionLayers"/> stacked <see cref="CoattentionLayer"/>s, then each
/// branch's output averaged over its valid elements (GA) and the two averages averaged: c_i.
/// </summary>
public sealed class CoattentionBlock : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly ModuleList<CoattentionLayer> layers;

    public CoattentionBlock(int width, ModelOptions options, string name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        layers = ModuleList(Enumerable.Range(0, options.CoattentionLayers).Select(i => new CoattentionLayer(width, options, i)).ToArray());
        RegisterComponents();
    }

    /// <summary>Text (B, Nt, D) with mask (B, Nt), speech (B, Ns, D) with mask (B, Ns) -> c_i (B, D).</summary>
    public override Tensor forward(Tensor text, Tensor textMask, Tensor speech, Tensor speechMask)
    {
        using var scope = NewDisposeScope();
        var (t, s) = (text, speech);
        foreach (var layer in layers) (t, s) = layer.forward(t, textMask, s, speechMask);         // (B, Nt, D), (B, Ns, D)
        var c = (MaskedMean.Apply(t, textMask) + MaskedMean.Apply(s, speechMask)) / 2;              // (B, D)
        return c.MoveToOuterDisposeScope();
    }
}
