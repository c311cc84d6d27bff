using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Paper Eq. 1: u = LN(sum_l w_l u_l / sum_l w_l), learnable w (one per stored layer) initialised
/// equal, LN over the embedding. The weights are kept positive as method.md section 4 says:
/// |w_l| / sum_k |w_k| by default, softmax(w) as an option. (The paper writes w_l / sum w_l and
/// leaves the sign free; method.md, which this follows, keeps the weights positive.)
/// </summary>
/// <remarks>
/// Padded positions of the input may hold anything (even NaN or infinity). They are zeroed before
/// mixing (a NaN there would otherwise reach the weights' gradient through 0 * NaN) and the output
/// is zero there too, so nothing downstream picks garbage up; every consumer also masks them.
/// </remarks>
public sealed class LayerWeighting : Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly LayerNorm norm;
    private readonly LayerWeightingMode _mode;

    public LayerWeighting(StreamShape shape, LayerWeightingMode mode, string name = "weighting") : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate(name);
        weight = Parameter(ones(shape.Layers));
        norm = LayerNorm(shape.Width);
        _mode = mode;
        RegisterComponents();
    }

    /// <summary>The normalised layer weights (L): non-negative, summing to one. For reporting and tests.</summary>
    public Tensor LayerWeights()
    {
        using var scope = NewDisposeScope();
        using var tiny = 1e-12.ToScalar();                                       // explicit: see RunAdam
        var weights = _mode switch
        {
            LayerWeightingMode.NormalisedAbs => weight.abs() / weight.abs().sum().clamp_min(tiny),
            LayerWeightingMode.Softmax => weight.softmax(0),
            _ => throw new InvalidOperationException($"Unknown layer weighting mode {_mode}."),
        };
        return weights.MoveToOuterDisposeScope();
    }

    /// <summary>Values (B, L, N, H) and mask (B, N) -> (B, N, H), zero at padded positions.</summary>
    public override Tensor forward(Tensor values, Tensor mask) => Mix(values, mask, zeroPadded: false);

    /// <summary>
    /// A stream's batch -> (B, N, H), zero at padded positions; the same values as
    /// <see cref="forward(Tensor, Tensor)"/>, without zeroing an input that is zero there already
    /// (<see cref="StreamBatch.ZeroPadded"/>).
    /// </summary>
    public Tensor forward(StreamBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Mix(batch.Values, batch.Mask, batch.ZeroPadded);
    }

    private Tensor Mix(Tensor values, Tensor mask, bool zeroPadded)
    {
        if (values.dim() != 4 || values.shape[1] != weight.shape[0])
            throw new ArgumentException($"{GetName()}: expected values (batch, {weight.shape[0]} layers, length, width), got ({string.Join(", ", values.shape)}).");
        using var scope = NewDisposeScope();
        var padded = mask.logical_not().unsqueeze(-1);                          // (B, N, 1)
        using var zero = 0.ToScalar();                                           // explicit: see RunAdam
        var clean = zeroPadded ? values : values.masked_fill(padded.unsqueeze(1), zero); // (B, L, N, H)
        var mixed = einsum("blnh,l->bnh", clean, LayerWeights());               // (B, N, H)
        return norm.forward(mixed).masked_fill(padded, zero).MoveToOuterDisposeScope();
    }
}
