using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// A post-LN transformer encoder layer (PyTorch <c>nn.TransformerEncoderLayer</c>, norm_first false):
/// a = LN(x + Dropout(MHA(x, context))), y = LN(a + Dropout(W2 Dropout(ReLU(W1 a)))), feed-forward
/// width <see cref="ModelOptions.FeedForwardMultiplier"/> x D, ReLU (PyTorch's default; the paper
/// names no activation). Self-attention when context is x itself, cross-modal attention in
/// <see cref="CoattentionLayer"/>. The output is zero at padded query positions.
/// </summary>
public sealed class EncoderLayer : Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly MultiHeadAttention attention;
    private readonly RunDropout dropout1;
    private readonly LayerNorm norm1;
    private readonly Linear linear1;
    private readonly RunDropout dropout;
    private readonly Linear linear2;
    private readonly RunDropout dropout2;
    private readonly LayerNorm norm2;

    public EncoderLayer(int width, ModelOptions options, string name) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        attention = new MultiHeadAttention(width, options.AttentionHeads, options.Dropout);
        dropout1 = new RunDropout(options.Dropout);
        norm1 = LayerNorm(width);
        linear1 = Linear(width, options.FeedForwardMultiplier * width);
        dropout = new RunDropout(options.Dropout);
        linear2 = Linear(options.FeedForwardMultiplier * width, width);
        dropout2 = new RunDropout(options.Dropout);
        norm2 = LayerNorm(width);
        RegisterComponents();
    }

    /// <summary>x (B, Nq, D) with mask (B, Nq), context (B, Nk, D) with mask (B, Nk) -> (B, Nq, D).</summary>
    public override Tensor forward(Tensor x, Tensor mask, Tensor context, Tensor contextMask)
    {
        using var scope = NewDisposeScope();
        var a = norm1.forward(x + dropout1.forward(attention.forward(x, context, contextMask)));   // (B, Nq, D)
        var f = linear2.forward(dropout.forward(functional.relu(linear1.forward(a))));             // (B, Nq, D)
        var y = norm2.forward(a + dropout2.forward(f));                                             // (B, Nq, D)
        using var zero = 0.ToScalar();                                                              // explicit: see RunAdam
        return y.masked_fill(mask.logical_not().unsqueeze(-1), zero).MoveToOuterDisposeScope();
    }
}
