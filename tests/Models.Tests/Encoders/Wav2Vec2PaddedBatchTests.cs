using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Encoders.Wav2Vec2;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class Wav2Vec2PaddedBatchTests
{
    private static Wav2Vec2Model Model(string norm)
    {
        var model = new Wav2Vec2Model(new Wav2Vec2Config
        {
            HiddenSize = 24, NumHiddenLayers = 2, NumAttentionHeads = 3, IntermediateSize = 40,
            FeatExtractNorm = norm, DoStableLayerNorm = norm == "layer", ConvBias = norm == "layer",
            ConvDim = [16, 16, 16], ConvKernel = [10, 3, 2], ConvStride = [5, 2, 2],
            NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
        });
        SeededInitialization.Apply(model, 7);
        model.eval();
        return model;
    }

    [Fact]
    public void Layer_norm_family_gives_each_padded_utterance_the_states_it_gets_alone()
    {
        using var model = Model("layer");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(3);
        long[] lengths = [1000, 640, 777];
        var waves = lengths.Select(l => randn(new[] { l }, generator: generator)).ToArray();
        var batch = stack(waves.Select(w => nn.functional.pad(w, [0, 1000 - w.shape[0]])).ToArray()); // (3, 1000)

        using var together = model.forward(batch, lengths);

        for (var b = 0; b < waves.Length; b++)
        {
            using var alone = model.forward(waves[b].unsqueeze(0));
            var frames = alone.HiddenStates[0].shape[1];
            for (var layer = 0; layer < alone.HiddenStates.Count; layer++)
            {
                var error = (together.HiddenStates[layer][b, ..(int)frames] - alone.HiddenStates[layer][0]).abs().max().item<float>();
                Assert.True(error < 1e-4, $"utterance {b}, hidden state {layer}: max abs error {error}");
            }
        }
    }

    [Fact]
    public void Group_norm_family_refuses_padded_batches()
    {
        using var model = Model("group");
        using var scope = NewDisposeScope();
        var batch = zeros(2, 1000);

        var error = Assert.Throws<ArgumentException>(() => model.forward(batch, [1000, 600]));

        Assert.Contains("one at a time", error.Message);
    }
}
