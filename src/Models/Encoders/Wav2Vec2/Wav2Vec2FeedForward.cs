using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>The position-wise feed-forward block: dense H -> I, activation, dense I -> H.</summary>
public sealed class Wav2Vec2FeedForward : Module<Tensor, Tensor>
{
    private readonly Linear intermediate_dense;
    private readonly Linear output_dense;
    private readonly Func<Tensor, Tensor> _activation;

    public Wav2Vec2FeedForward(Wav2Vec2Config config) : base("feed_forward")
    {
        intermediate_dense = Linear(config.HiddenSize, config.IntermediateSize);
        output_dense = Linear(config.IntermediateSize, config.HiddenSize);
        _activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <summary>(B, T, H) -> (B, T, H).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return output_dense.forward(_activation(intermediate_dense.forward(x))).MoveToOuterDisposeScope();
    }
}
