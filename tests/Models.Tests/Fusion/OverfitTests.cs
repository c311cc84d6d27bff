using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>Each model can fit 16 separable utterances: the gradient reaches everything that decides the class.</summary>
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

        model.train();
        for (var step = 0; step < 300; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.forward(batch), labels).backward();
            optimizer.step();
        }
        model.eval();
        using var noGrad = no_grad();
        var accuracy = model.forward(batch).argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();

        Assert.Equal(1f, accuracy);
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
