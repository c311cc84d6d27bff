using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>Each model can fit 16 separable utterances within 300 Adam steps (checked every 25): the gradient reaches everything that decides the class.</summary>
[Collection(FusionCollection.Name)]
public sealed class OverfitTests
{
    [Theory]
    [InlineData(ModelKind.Linear, "T")]
    [InlineData(ModelKind.Late, "T,F")]
    [InlineData(ModelKind.Coattention, "T,F")]
    [InlineData(ModelKind.Concat, "T,F")]
    [InlineData(ModelKind.Transformer, "F")]
    public void Sixteen_separable_utterances_are_fit_to_full_training_accuracy(ModelKind kind, string streams)
    {
        using var scope = NewDisposeScope();
        manual_seed(20);
        // The attention models' 5e-5 suits hundreds of epochs, not a unit test: 1e-3 for all.
        using var model = FusionFixtures.Create(kind, streams, FusionFixtures.Options with { LearningRateOverride = 1e-3 });
        var labels = arange(16L) % 4;                                                       // (16)
        var batch = Separable(model.Streams, labels);
        using var optimizer = optim.Adam(model.parameters(), model.LearningRate);

        var accuracy = 0f;
        for (var step = 1; step <= 300 && accuracy < 1; step++)
        {
            using var stepScope = NewDisposeScope();
            model.train();
            optimizer.zero_grad();
            F.cross_entropy(model.forward(batch), labels).backward();
            optimizer.step();
            if (step % 25 == 0) accuracy = Accuracy(model, batch, labels);
        }

        Assert.Equal(1f, accuracy);
    }

    /// <summary>Training accuracy in eval mode (no dropout).</summary>
    private static float Accuracy(FusionModel model, IReadOnlyDictionary<StreamKind, StreamBatch> batch, Tensor labels)
    {
        model.eval();
        using var noGrad = no_grad();
        return model.forward(batch).argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>Random sequences whose valid elements carry a class-dependent offset in the first widths (weak in each element, clear on average).</summary>
    private static Dictionary<StreamKind, StreamBatch> Separable(IEnumerable<StreamKind> streams, Tensor labels)
        => streams.ToDictionary(s => s, s =>
        {
            var shape = FusionFixtures.Shapes[s];
            var lengths = Enumerable.Range(0, 16).Select(i => 1 + i * 7 % 6).ToArray();
            var stream = FusionFixtures.Stream(shape, lengths);
            var offset = F.one_hot(labels, shape.Width).to_type(ScalarType.Float32) * 1.5f;   // (B, H)
            var values = stream.Values + offset.view(16, 1, 1, shape.Width);                   // (B, L, N, H)
            return new StreamBatch(values, stream.Mask);
        });
}
