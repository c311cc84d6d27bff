using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>HF <c>Wav2Vec2BaseModelOutput</c> with output_hidden_states=True. Owns its tensors.</summary>
/// <param name="ExtractFeatures">(B, T, C) LayerNorm-ed conv features (HF <c>extract_features</c>).</param>
/// <param name="HiddenStates">L + 1 tensors of (B, T, H); the last is <see cref="LastHiddenState"/>.</param>
public sealed record Wav2Vec2Output(Tensor ExtractFeatures, IReadOnlyList<Tensor> HiddenStates) : IDisposable
{
    /// <summary>(B, T, H) HF <c>last_hidden_state</c>.</summary>
    public Tensor LastHiddenState => HiddenStates[^1];

    /// <inheritdoc />
    public void Dispose()
    {
        ExtractFeatures.Dispose();
        foreach (var state in HiddenStates) state.Dispose();
    }
}
