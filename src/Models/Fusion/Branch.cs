using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// The branch of method.md section 5 ("Linear" in Table 1): per element h = ReLU(W1 u + b1) and
/// l = ReLU(W2 h + b2), dropout after each, then the global average over the valid elements and
/// logits = W3 l + b3.
/// </summary>
public sealed class Branch : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly RunDropout dropout1;
    private readonly Linear fc2;
    private readonly RunDropout dropout2;
    private readonly Linear output;

    public Branch(int inputWidth, ModelOptions options, string name = "branch") : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (inputWidth < 1) throw new ArgumentException($"{name}: input width must be positive, got {inputWidth}.");
        fc1 = Linear(inputWidth, options.BranchWidth);
        dropout1 = new RunDropout(options.Dropout);
        fc2 = Linear(options.BranchWidth, options.BranchWidth);
        dropout2 = new RunDropout(options.Dropout);
        output = Linear(options.BranchWidth, options.Classes);
        RegisterComponents();
    }

    /// <summary>u (B, N, H) and mask (B, N) -> logits (B, C).</summary>
    public override Tensor forward(Tensor u, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = dropout1.forward(functional.relu(fc1.forward(u)));             // (B, N, W)
        var l = dropout2.forward(functional.relu(fc2.forward(h)));             // (B, N, W)
        return output.forward(MaskedMean.Apply(l, mask)).MoveToOuterDisposeScope(); // (B, C)
    }
}
