using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>LayerNorm over the conv features, then a linear map to the transformer width.</summary>
public sealed class FeatureProjection : Module<Tensor, (Tensor Projected, Tensor Normalized)>
{
    private readonly LayerNorm layer_norm;
    private readonly Linear projection;

    public FeatureProjection(Wav2Vec2Config config) : base("feature_projection")
    {
        layer_norm = LayerNorm(config.ConvDim[^1], eps: config.LayerNormEps);
        projection = Linear(config.ConvDim[^1], config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>(B, T, C) -> projected (B, T, H) and the normalised input (B, T, C) = HF <c>extract_features</c>.</summary>
    public override (Tensor Projected, Tensor Normalized) forward(Tensor features)
    {
        var normalized = layer_norm.forward(features);                         // (B, T, C)
        return (projection.forward(normalized), normalized);                   // (B, T, H)
    }
}
