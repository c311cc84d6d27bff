using Orchestrator.Models.Encoders.Wav2Vec2;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>
/// The large-lv60 family (feat_extract_norm=layer, do_stable_layer_norm=true) has no golden
/// fixture: its structure and hidden-state semantics are checked against a functional
/// re-implementation of HF's Wav2Vec2EncoderStableLayerNorm written here from the model's own weights.
/// </summary>
public sealed class Wav2Vec2StableLayerNormTests
{
    private static Wav2Vec2Config LargeStyle(int posKernel) => new()
    {
        HiddenSize = 24, NumHiddenLayers = 2, NumAttentionHeads = 3, IntermediateSize = 40,
        FeatExtractNorm = "layer", DoStableLayerNorm = true, ConvBias = true,
        ConvDim = [16, 16, 16], ConvKernel = [10, 3, 2], ConvStride = [5, 2, 2],
        NumConvPosEmbeddings = posKernel, NumConvPosEmbeddingGroups = 4,
    };

    [Fact]
    public void Layer_norm_family_has_a_layer_norm_in_every_conv_block_and_conv_biases()
    {
        using var model = new Wav2Vec2Model(LargeStyle(posKernel: 7));

        var names = model.state_dict().Keys.ToHashSet();

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"feature_extractor.conv_layers.{i}.conv.bias", names);
            Assert.Contains($"feature_extractor.conv_layers.{i}.layer_norm.weight", names);
        }
        Assert.Contains("encoder.pos_conv_embed.conv.weight_g", names);
        Assert.Contains("encoder.layer_norm.weight", names);
    }

    [Fact]
    public void Group_norm_family_has_a_norm_only_in_the_first_conv_block_and_no_conv_bias()
    {
        using var model = new Wav2Vec2Model(new Wav2Vec2Config
        {
            HiddenSize = 24, NumHiddenLayers = 1, NumAttentionHeads = 3, IntermediateSize = 40,
            ConvDim = [16, 16], ConvKernel = [10, 3], ConvStride = [5, 2], NumConvPosEmbeddings = 8, NumConvPosEmbeddingGroups = 4,
        });

        var names = model.state_dict().Keys.ToHashSet();

        Assert.Contains("feature_extractor.conv_layers.0.layer_norm.weight", names);
        Assert.DoesNotContain("feature_extractor.conv_layers.1.layer_norm.weight", names);
        Assert.DoesNotContain("feature_extractor.conv_layers.0.conv.bias", names);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Stable_layer_norm_hidden_states_follow_HF_semantics(int posKernel)
    {
        var config = LargeStyle(posKernel);
        using var model = new Wav2Vec2Model(config);
        Randomize(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = model.state_dict();
        var samples = 1234;
        var wave = randn(1, samples, generator: new TorchSharp.torch.Generator(7));

        using var output = model.forward(wave);

        var frames = config.FrameCount(samples);
        Assert.Equal(config.NumHiddenLayers + 1, output.HiddenStates.Count);
        Assert.All(output.HiddenStates, h => Assert.Equal([1L, frames, config.HiddenSize], h.shape));
        // hidden_states[0] = x + pos_conv(x) with x = projection(extract_features), NO LayerNorm.
        var x = F.linear(output.ExtractFeatures, w["feature_projection.projection.weight"], w["feature_projection.projection.bias"]);
        var expected0 = x + PosConv(x, w, posKernel, groups: 4);
        AssertClose(expected0, output.HiddenStates[0], "hidden_states[0]");
        // hidden_states[1] = pre-LN layer 1 applied to hidden_states[0].
        var layer1 = PreLnLayer(output.HiddenStates[0], w, "encoder.layers.0.", config.NumAttentionHeads);
        AssertClose(layer1, output.HiddenStates[1], "hidden_states[1]");
        // hidden_states[L] = encoder.layer_norm(output of layer L): last_hidden_state.
        var layer2 = PreLnLayer(output.HiddenStates[1], w, "encoder.layers.1.", config.NumAttentionHeads);
        var last = F.layer_norm(layer2, [config.HiddenSize], w["encoder.layer_norm.weight"], w["encoder.layer_norm.bias"], 1e-5);
        AssertClose(last, output.HiddenStates[2], "hidden_states[2]");
        Assert.Same(output.HiddenStates[^1], output.LastHiddenState);
    }

    private static Tensor PosConv(Tensor x, Dictionary<string, Tensor> w, int kernel, int groups)
    {
        var v = w["encoder.pos_conv_embed.conv.weight_v"];
        var g = w["encoder.pos_conv_embed.conv.weight_g"];
        var weight = v * g / v.pow(2).sum([0, 1], keepdim: true).sqrt();
        var h = F.conv1d(x.transpose(1, 2), weight, w["encoder.pos_conv_embed.conv.bias"], padding: kernel / 2, groups: groups);
        if (kernel % 2 == 0) h = h[.., .., ..^1];
        return F.gelu(h).transpose(1, 2);
    }

    private static Tensor PreLnLayer(Tensor x, Dictionary<string, Tensor> w, string p, int heads)
    {
        var width = x.shape[^1];
        Tensor Ln(Tensor t, string name) => F.layer_norm(t, [width], w[p + name + ".weight"], w[p + name + ".bias"], 1e-5);
        Tensor Dense(Tensor t, string name) => F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"]);
        var n = Ln(x, "layer_norm");
        var (b, t, hs) = (x.shape[0], x.shape[1], width / heads);
        var q = Dense(n, "attention.q_proj").view(b, t, heads, hs).transpose(1, 2);
        var k = Dense(n, "attention.k_proj").view(b, t, heads, hs).transpose(1, 2);
        var v = Dense(n, "attention.v_proj").view(b, t, heads, hs).transpose(1, 2);
        var attention = F.softmax(q.matmul(k.transpose(-2, -1)) / Math.Sqrt(hs), -1).matmul(v).transpose(1, 2).reshape(b, t, width);
        var h = x + Dense(attention, "attention.out_proj");
        var ff = Dense(F.gelu(Dense(Ln(h, "final_layer_norm"), "feed_forward.intermediate_dense")), "feed_forward.output_dense");
        return h + ff;
    }

    private static void Randomize(Wav2Vec2Model model)
    {
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator(1234);
        foreach (var (name, p) in model.named_parameters())
        {
            using var noise = randn(p.shape, generator: generator);
            if (name.EndsWith("norm.weight") || name.EndsWith("weight_g")) p.copy_(1 + 0.3 * noise.clamp(-1, 1));
            else if (name.EndsWith(".bias")) p.copy_(0.1 * noise);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Assert.True(Parity.MaxAbsError(actual, expected, what) < 1e-5, $"{what}: {Parity.MaxAbsError(actual, expected, what):e2}");
}
