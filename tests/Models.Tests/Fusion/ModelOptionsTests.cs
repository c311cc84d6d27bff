using Orchestrator.Models.Fusion;

namespace Orchestrator.Models.Tests.Fusion;

public sealed class ModelOptionsTests
{
    [Theory]
    [InlineData(ModelKind.Linear, 1e-3)]
    [InlineData(ModelKind.Late, 1e-3)]
    [InlineData(ModelKind.Concat, 1e-3)]
    [InlineData(ModelKind.Coattention, 5e-5)]
    [InlineData(ModelKind.Transformer, 5e-5)]
    public void Feed_forward_models_learn_at_1e_3_and_attention_models_at_5e_5(ModelKind kind, double expected)
    {
        Assert.Equal(expected, new ModelOptions().LearningRate(kind));
    }

    [Fact]
    public void The_override_sets_the_learning_rate_of_every_kind()
    {
        var options = new ModelOptions { LearningRateOverride = 0.01 };

        Assert.All(Enum.GetValues<ModelKind>(), kind => Assert.Equal(0.01, options.LearningRate(kind)));
    }

    [Fact]
    public void The_defaults_are_those_of_the_method()
    {
        var options = new ModelOptions();

        Assert.Equal((128, 0.2, 8, 4, 3, 3, LayerWeightingMode.NormalisedAbs, 4),
            (options.BranchWidth, options.Dropout, options.AttentionHeads, options.FeedForwardMultiplier,
             options.CoattentionLayers, options.TransformerLayers, options.LayerWeighting, options.Classes));
    }
}
