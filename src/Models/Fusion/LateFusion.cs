using Orchestrator.Models.Features;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Late fusion, paper Eq. 2-3: per stream i, u_i = LayerWeighting_i(U_i) and logits_i = Branch_i(u_i);
/// the logits are summed (softmax of the sum is the prediction). With one stream this is Table 1's
/// "Linear" model (<see cref="ModelKind.Linear"/>): one mechanism for both.
/// </summary>
public sealed class LateFusion : FusionModel
{
    private readonly ModuleDict<LayerWeighting> weighting;
    private readonly ModuleDict<Branch> branch;

    public LateFusion(ModelKind kind, IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
        : base("late_fusion", kind, streams, shapes, options)
    {
        weighting = ModuleDict(Streams.Select(s => (s.Name(), new LayerWeighting(shapes[s], options.LayerWeighting, s.Name()))).ToArray());
        branch = ModuleDict(Streams.Select(s => (s.Name(), new Branch(shapes[s].Width, options, s.Name()))).ToArray());
        RegisterComponents();
    }

    /// <summary>Streams (B, L_i, N_i, H_i) -> summed logits (B, C).</summary>
    public override Tensor forward(IReadOnlyDictionary<StreamKind, StreamBatch> batch)
    {
        var inputs = Streams.Select(s => (Kind: s, Batch: Input(batch, s))).ToList();
        SameBatchSize(inputs);
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        foreach (var (kind, stream) in inputs)
        {
            var u = weighting[kind.Name()].forward(stream);                                  // (B, N_i, H_i)
            var logits = branch[kind.Name()].forward(u, stream.Mask);                          // (B, C)
            sum = sum is null ? logits : sum + logits;
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
