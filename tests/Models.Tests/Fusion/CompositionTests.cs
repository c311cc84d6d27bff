using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

/// <summary>How the models are put together: Eq. 2-3's sum, the cross-modal wiring, the attention mask.</summary>
[Collection(FusionCollection.Name)]
public sealed class CompositionTests
{
    [Fact]
    public void Late_fusion_logits_are_the_sum_of_the_single_stream_models_with_the_same_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        using var late = FusionFixtures.Create(ModelKind.Late, "T,F");
        using var text = FusionFixtures.Create(ModelKind.Linear, "T");
        using var frame = FusionFixtures.Create(ModelKind.Linear, "F");
        text.load_state_dict(late.state_dict(), strict: false);
        frame.load_state_dict(late.state_dict(), strict: false);
        var batch = FusionFixtures.Batch(late.Streams);
        foreach (var model in new[] { late, text, frame }) model.eval();
        using var noGrad = no_grad();

        var sum = text.forward(batch) + frame.forward(batch);
        var fused = late.forward(batch);

        Assert.True((fused - sum).abs().max().item<float>() < 1e-5);
    }

    [Theory]
    [InlineData(StreamKind.Text)]
    [InlineData(StreamKind.Frame)]
    [InlineData(StreamKind.Phone)]
    public void Coattention_logits_depend_on_every_stream(StreamKind changed)
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        using var model = FusionFixtures.Create(ModelKind.Coattention, "T,F,P");
        var batch = FusionFixtures.Batch(model.Streams);
        var altered = new Dictionary<StreamKind, StreamBatch>(batch)
        {
            [changed] = batch[changed] with { Values = batch[changed].Values + randn_like(batch[changed].Values).nan_to_num() },
        };
        model.eval();
        using var noGrad = no_grad();

        var difference = (model.forward(altered) - model.forward(batch)).abs().max().item<float>();

        Assert.True(difference > 1e-4, $"changing the {changed.Name()} stream moved the logits by only {difference}");
    }

    [Fact]
    public void Attention_over_keys_that_are_all_padding_stays_finite()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        using var attention = new MultiHeadAttention(8, 2, 0.0);
        var queries = randn(2, 3, 8);
        var keys = randn(2, 4, 8);
        var keyMask = tensor(new[] { true, true, false, false, false, false, false, false }).view(2, 4);

        var output = attention.forward(queries, keys, keyMask);

        Assert.True(output.isfinite().all().item<bool>());
    }

    [Fact]
    public void Attention_ignores_what_padded_keys_hold()
    {
        using var scope = NewDisposeScope();
        manual_seed(33);
        using var attention = new MultiHeadAttention(8, 2, 0.0);
        var queries = randn(1, 3, 8);
        var keys = randn(1, 4, 8);
        var keyMask = tensor(new[] { true, true, false, false }).view(1, 4);
        var changed = keys.clone();
        changed[0, 2..] = randn(2, 8) * 100;

        var difference = (attention.forward(queries, changed, keyMask) - attention.forward(queries, keys, keyMask)).abs().max().item<float>();

        Assert.True(difference < 1e-6, $"padded keys moved the output by {difference}");
    }
}
