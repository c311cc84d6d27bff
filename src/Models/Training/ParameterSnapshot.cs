using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// A copy of a module's state (parameters and buffers, by <c>state_dict</c> name), detached and on
/// the CPU, so early stopping can keep the best epoch's weights while training goes on, and put
/// them back before the test set is evaluated (method.md section 6).
/// </summary>
/// <remarks>
/// The copies live on the CPU so the best weights cost no accelerator memory; restoring copies
/// them in place (<c>copy_</c> under <c>no_grad</c>) into the module's own tensors, on whatever
/// device the module is, so optimiser references to the parameters stay valid.
/// </remarks>
public sealed class ParameterSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    private ParameterSnapshot(Dictionary<string, Tensor> tensors) => this.tensors = tensors;

    /// <summary>Names of the tensors held.</summary>
    public IReadOnlyCollection<string> Names => tensors.Keys;

    /// <summary>The held copy of <paramref name="name"/> (owned by the snapshot; do not dispose).</summary>
    public Tensor this[string name] => tensors[name];

    /// <summary>Copies every tensor of <paramref name="module"/>'s state_dict.</summary>
    public static ParameterSnapshot Capture(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var copies = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            using var scope = NewDisposeScope();
            // clone() guarantees fresh storage even when the module already lives on the CPU; the
            // copy leaves every dispose scope, so a trainer's per-epoch scope cannot free it.
            copies[name] = tensor.detach().cpu().clone().DetachFromDisposeScope();
        }
        return new ParameterSnapshot(copies);
    }

    /// <summary>Copies the held values back into <paramref name="module"/>; its state must have the same names and shapes.</summary>
    public void RestoreInto(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = module.state_dict();
        var missing = tensors.Keys.Except(state.Keys).Concat(state.Keys.Except(tensors.Keys)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"The module's state does not match the snapshot: {string.Join(", ", missing.Take(5))} present in only one of them.", nameof(module));
        using var noGrad = no_grad();
        foreach (var (name, target) in state)
        {
            var source = tensors[name];
            if (!source.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"'{name}' is [{string.Join(", ", target.shape)}] in the module but [{string.Join(", ", source.shape)}] in the snapshot.", nameof(module));
            target.copy_(source);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
        tensors.Clear();
    }
}
