using Orchestrator.Models.Fusion;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Tests.Fusion;

[Collection(FusionCollection.Name)]
public sealed class FusionModelTests
{
    public static TheoryData<ModelKind, string> Configurations => FusionFixtures.Configurations;

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_model_gives_one_row_of_finite_logits_per_utterance(ModelKind kind, string streams)
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var model = FusionFixtures.Create(kind, streams);
        var batch = FusionFixtures.Batch(model.Streams);
        model.eval();

        using var noGrad = no_grad();
        var logits = model.forward(batch);

        Assert.Equal([4L, 4L], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>(), $"{kind} {streams}: non-finite logits {logits.ToString(TorchSharp.TensorStringStyle.Julia)}");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Appending_padding_that_holds_garbage_does_not_change_the_logits(ModelKind kind, string streams)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = FusionFixtures.Create(kind, streams);
        var batch = FusionFixtures.Batch(model.Streams);
        var padded = FusionFixtures.Pad(batch, extra: 3);
        model.eval();
        using var noGrad = no_grad();

        var expected = model.forward(batch);
        var actual = model.forward(padded);

        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"{kind} {streams}: padding changed the logits by {difference}");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void An_utterance_with_a_single_valid_element_trains_without_nan(ModelKind kind, string streams)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = FusionFixtures.Create(kind, streams);
        var batch = FusionFixtures.Batch(model.Streams);                          // element 2: one valid element per stream
        model.train();

        var logits = model.forward(batch);
        F.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 3 })).backward();

        Assert.True(logits.isfinite().all().item<bool>(), $"{kind} {streams}: non-finite logits");
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.grad is null || parameter.grad.isfinite().all().item<bool>(), $"{kind} {streams}: non-finite gradient of {name}");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_layer_weighting_receives_a_gradient(ModelKind kind, string streams)
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var model = FusionFixtures.Create(kind, streams);
        var batch = FusionFixtures.Batch(model.Streams);
        model.train();

        F.cross_entropy(model.forward(batch), tensor(new long[] { 0, 1, 2, 3 })).backward();

        var weightings = FusionFixtures.Weightings(model);
        Assert.Equal(ExpectedWeightings(kind, model.Streams.Count), weightings.Count);
        foreach (var weighting in weightings)
        {
            var grad = weighting.parameters().First().grad;
            Assert.True(grad is not null && grad.abs().sum().item<float>() > 0, $"{kind} {streams}: layer weighting '{weighting.GetName()}' got no gradient");
        }
    }

    [Fact]
    public void A_batch_without_a_stream_the_model_needs_is_refused_with_a_message()
    {
        using var scope = NewDisposeScope();
        using var model = FusionFixtures.Create(ModelKind.Late, "T,F");
        var batch = FusionFixtures.Batch([global::Orchestrator.Models.Features.StreamKind.Text]);

        var error = Assert.Throws<ArgumentException>(() => model.forward(batch));

        Assert.Contains("no frame stream", error.Message);
    }

    [Fact]
    public void A_stream_of_another_width_than_the_model_was_built_for_is_refused_with_a_message()
    {
        using var scope = NewDisposeScope();
        using var model = FusionFixtures.Create(ModelKind.Linear, "T");
        var batch = new Dictionary<global::Orchestrator.Models.Features.StreamKind, StreamBatch>
        {
            [global::Orchestrator.Models.Features.StreamKind.Text] = FusionFixtures.Stream(new StreamShape(3, 8), [2, 1]),
        };

        var error = Assert.Throws<ArgumentException>(() => model.forward(batch));

        Assert.Contains("3 layers of width 16", error.Message);
    }

    [Fact]
    public void Logit_averaging_is_the_elementwise_mean()
    {
        using var scope = NewDisposeScope();

        var combined = LogitAveraging.Combine(tensor(new[] { 1f, 2f }).view(1, 2), tensor(new[] { 3f, -2f }).view(1, 2));

        Assert.Equal([2f, 0f], combined.data<float>().ToArray());
    }

    /// <summary>Late/linear: one per stream; coattention: two per speech stream (its own and a text one); concat: two; transformer: one.</summary>
    private static int ExpectedWeightings(ModelKind kind, int streams) => kind switch
    {
        ModelKind.Coattention => 2 * (streams - 1),
        ModelKind.Concat => 2,
        _ => streams,
    };
}
