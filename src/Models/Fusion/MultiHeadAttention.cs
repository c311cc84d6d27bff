using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Multi-head scaled dot-product attention of queries over keys/values with a key padding mask
/// (self-attention when both are the same sequence, cross-modal attention in coattention).
/// Written out rather than <c>nn.MultiheadAttention</c> so the mask semantics are explicit:
/// padded keys get the dtype's most negative finite score, never -inf, so even a row without any
/// valid key gives a finite (uniform) distribution instead of NaN. Outputs at padded query positions
/// are finite but meaningless; <see cref="EncoderLayer"/> zeroes them.
/// </summary>
public sealed class MultiHeadAttention : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly RunDropout dropout;
    private readonly Linear output;
    private readonly int _heads;

    public MultiHeadAttention(int width, int heads, double dropoutRate, string name = "attention") : base(name)
    {
        if (heads < 1 || width % heads != 0)
            throw new ArgumentException($"{name}: {heads} attention heads do not divide the model width {width}; set ModelOptions.AttentionHeads to a divisor of {width}.");
        query = Linear(width, width);
        key = Linear(width, width);
        value = Linear(width, width);
        dropout = new RunDropout(dropoutRate);
        output = Linear(width, width);
        _heads = heads;
        RegisterComponents();
    }

    /// <summary>Queries (B, Nq, D), keys/values (B, Nk, D), key mask (B, Nk) bool -> (B, Nq, D).</summary>
    public override Tensor forward(Tensor queries, Tensor keysValues, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var (b, nq, d) = (queries.shape[0], queries.shape[1], queries.shape[2]);
        var nk = keysValues.shape[1];
        var hs = d / _heads;
        var q = query.forward(queries).view(b, nq, _heads, hs).transpose(1, 2);       // (B, nh, Nq, hs)
        var k = key.forward(keysValues).view(b, nk, _heads, hs).transpose(1, 2);      // (B, nh, Nk, hs)
        var v = value.forward(keysValues).view(b, nk, _heads, hs).transpose(1, 2);    // (B, nh, Nk, hs)
        var padded = keyMask.logical_not().view(b, 1, 1, nk);                         // (B, 1, 1, Nk)
        using var root = Math.Sqrt(hs).ToScalar();                                   // explicit Scalars: see RunAdam
        using var mostNegative = MostNegative(queries.dtype).ToScalar();
        var scores = (q.matmul(k.transpose(-2, -1)) / root)                           // (B, nh, Nq, Nk)
            .masked_fill(padded, mostNegative);
        var weights = dropout.forward(functional.softmax(scores, dim: -1));           // (B, nh, Nq, Nk)
        var context = weights.matmul(v).transpose(1, 2).reshape(b, nq, d);            // (B, Nq, D)
        return output.forward(context).MoveToOuterDisposeScope();
    }

    /// <summary>torch.finfo(dtype).min: masks a score without the NaN a fully masked row of -inf gives.</summary>
    private static double MostNegative(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };
}
