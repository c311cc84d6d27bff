using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>HF <c>BaseModelOutputWithPooling</c> with output_hidden_states=True. Owns its tensors.</summary>
/// <param name="HiddenStates">L + 1 tensors of (B, L, H): embeddings, then each layer's output.</param>
/// <param name="PoolerOutput">(B, H), or null when the checkpoint has no pooler.</param>
public sealed record BertOutput(IReadOnlyList<Tensor> HiddenStates, Tensor? PoolerOutput) : IDisposable
{
    /// <summary>(B, L, H) HF <c>last_hidden_state</c>.</summary>
    public Tensor LastHiddenState => HiddenStates[^1];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var state in HiddenStates) state.Dispose();
        PoolerOutput?.Dispose();
    }
}
