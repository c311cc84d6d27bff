using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;

namespace Orchestrator.Models.Tests.Fusion;

[Collection(FusionCollection.Name)]
public sealed class FusionModelsTests
{
    [Theory]
    [InlineData(ModelKind.Linear, "T,F", "Linear takes exactly one stream, got T+F")]
    [InlineData(ModelKind.Transformer, "F,P", "Transformer takes exactly one stream, got F+P")]
    [InlineData(ModelKind.Late, "", "Late fusion needs at least one stream")]
    [InlineData(ModelKind.Coattention, "F,P", "Coattention needs the text stream T plus at least one speech stream")]
    [InlineData(ModelKind.Coattention, "T", "Coattention needs the text stream T plus at least one speech stream")]
    [InlineData(ModelKind.Concat, "T,F,P", "Concatenation needs the text stream T plus exactly one speech stream")]
    [InlineData(ModelKind.Concat, "F", "Concatenation needs the text stream T plus exactly one speech stream")]
    public void A_stream_set_the_model_cannot_take_is_refused_with_a_message(ModelKind kind, string streams, string message)
    {
        var list = streams.Length == 0 ? [] : StreamKinds.Parse(streams);

        var error = Assert.Throws<ArgumentException>(() => FusionModels.Create(kind, list, FusionFixtures.Shapes, FusionFixtures.Options));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_stream_named_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FusionModels.Create(ModelKind.Late, [StreamKind.Text, StreamKind.Text], FusionFixtures.Shapes, FusionFixtures.Options));

        Assert.Contains("names a stream twice", error.Message);
    }

    [Fact]
    public void A_stream_without_a_shape_is_refused()
    {
        var shapes = new Dictionary<StreamKind, StreamShape> { [StreamKind.Text] = new(3, 16) };

        var error = Assert.Throws<ArgumentException>(() =>
            FusionModels.Create(ModelKind.Late, [StreamKind.Text, StreamKind.Word], shapes, FusionFixtures.Options));

        Assert.Contains("no shape (layers, width) given for the word stream", error.Message);
    }

    [Theory]
    [InlineData(ModelKind.Transformer, "F")]
    [InlineData(ModelKind.Coattention, "T,F")]
    public void Attention_heads_that_do_not_divide_the_width_are_refused_with_a_message(ModelKind kind, string streams)
    {
        var shapes = StreamKinds.All.ToDictionary(s => s, _ => new StreamShape(2, 20));

        var error = Assert.Throws<ArgumentException>(() =>
            FusionModels.Create(kind, StreamKinds.Parse(streams), shapes, FusionFixtures.Options));

        Assert.Contains("8 attention heads do not divide the model width 20", error.Message);
    }

    [Fact]
    public void Streams_come_out_in_table_order_whatever_order_they_were_given_in()
    {
        using var model = FusionModels.Create(ModelKind.Late, [StreamKind.Word, StreamKind.Text, StreamKind.Frame], FusionFixtures.Shapes, FusionFixtures.Options);

        Assert.Equal([StreamKind.Text, StreamKind.Frame, StreamKind.Word], model.Streams);
    }

    [Theory]
    [InlineData(ModelKind.Linear, typeof(LateFusion))]
    [InlineData(ModelKind.Late, typeof(LateFusion))]
    [InlineData(ModelKind.Transformer, typeof(StreamTransformer))]
    [InlineData(ModelKind.Coattention, typeof(CoattentionFusion))]
    [InlineData(ModelKind.Concat, typeof(ConcatFusion))]
    public void Each_kind_builds_its_model_and_reports_the_kind(ModelKind kind, Type type)
    {
        var streams = kind is ModelKind.Linear or ModelKind.Transformer ? "F" : "T,F";

        using var model = FusionFixtures.Create(kind, streams);

        Assert.IsType(type, model);
        Assert.Equal(kind, model.Kind);
    }

    [Fact]
    public void Invalid_options_are_refused_with_a_message_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FusionModels.Create(ModelKind.Late, [StreamKind.Text], FusionFixtures.Shapes, FusionFixtures.Options with { Dropout = 1.5 }));

        Assert.Contains("Dropout", error.Message);
    }
}
