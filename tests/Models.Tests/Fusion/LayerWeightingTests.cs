using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

[Collection(FusionCollection.Name)]
public sealed class LayerWeightingTests
{
    [Theory]
    [InlineData(LayerWeightingMode.NormalisedAbs)]
    [InlineData(LayerWeightingMode.Softmax)]
    public void At_initialisation_it_is_the_layer_norm_of_the_plain_mean_of_the_layers(LayerWeightingMode mode)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var weighting = new LayerWeighting(new StreamShape(3, 4), mode);
        var values = randn(2, 3, 2, 4);                                                            // (B, L, N, H)
        var mask = ones(2, 2, dtype: ScalarType.Bool);
        var v = values.data<float>().ToArray();

        var u = weighting.forward(values, mask).data<float>().ToArray();                            // (B, N, H)

        Assert.Equal([1 / 3f, 1 / 3f, 1 / 3f], weighting.LayerWeights().data<float>().ToArray(), new Tolerance(1e-6));
        for (var b = 0; b < 2; b++)
            for (var n = 0; n < 2; n++)
            {
                // Hand computation: mean over the 3 layers, then (x - mean) / sqrt(var + 1e-5) over the 4 widths.
                var mean = new double[4];
                for (var h = 0; h < 4; h++)
                    mean[h] = Enumerable.Range(0, 3).Average(l => v[((b * 3 + l) * 2 + n) * 4 + h]);
                var mu = mean.Average();
                var variance = mean.Average(x => (x - mu) * (x - mu));
                for (var h = 0; h < 4; h++)
                    Assert.Equal((mean[h] - mu) / Math.Sqrt(variance + 1e-5), u[(b * 2 + n) * 4 + h], 4);
            }
    }

    [Fact]
    public void Padded_positions_come_out_zero_and_finite_whatever_they_hold()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var weighting = new LayerWeighting(new StreamShape(2, 4), LayerWeightingMode.NormalisedAbs);
        var values = randn(1, 2, 3, 4);
        values[0, 1, 2, 0] = tensor(float.NaN);
        var mask = tensor(new[] { true, true, false }).view(1, 3);

        var u = weighting.forward(values, mask);

        Assert.Equal(0, u[0, 2].abs().sum().item<float>());
        Assert.False(u.isnan().any().item<bool>());
    }

    [Fact]
    public void A_batch_already_zero_at_its_padding_gives_the_same_values_without_being_zeroed_again()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var weighting = new LayerWeighting(new StreamShape(4, 8), LayerWeightingMode.NormalisedAbs);
        using (no_grad()) weighting.parameters().First().copy_(tensor(new[] { 0.5f, -2f, 1f, 3f }));
        var mask = tensor(new[] { true, true, true, true, false, false }).view(2, 3);              // (B, N)
        var values = randn(2, 4, 3, 8).masked_fill(mask.logical_not().view(2, 1, 3, 1), 0);      // (B, L, N, H), zero at padding

        var expected = weighting.forward(values, mask);
        var actual = weighting.forward(new StreamBatch(values, mask) { ZeroPadded = true });

        Assert.True(expected.equal(actual).all().item<bool>());
    }

    [Fact]
    public void The_weights_follow_the_absolute_values_normalised_to_sum_one()
    {
        using var scope = NewDisposeScope();
        using var weighting = new LayerWeighting(new StreamShape(3, 4), LayerWeightingMode.NormalisedAbs);
        using (no_grad()) weighting.parameters().First().copy_(tensor(new[] { 1f, -2f, 1f }));

        var weights = weighting.LayerWeights().data<float>().ToArray();

        Assert.Equal([0.25f, 0.5f, 0.25f], weights, new Tolerance(1e-6));
    }

    [Fact]
    public void Values_with_the_wrong_number_of_layers_are_refused_with_a_message()
    {
        using var scope = NewDisposeScope();
        using var weighting = new LayerWeighting(new StreamShape(3, 4), LayerWeightingMode.NormalisedAbs);

        var error = Assert.Throws<ArgumentException>(() => weighting.forward(zeros(1, 2, 5, 4), ones(1, 5, dtype: ScalarType.Bool)));

        Assert.Contains("3 layers", error.Message);
    }
}

/// <summary>Float comparison with an absolute tolerance, for Assert.Equal on sequences.</summary>
internal sealed class Tolerance(double absolute) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= absolute;
    public int GetHashCode(float obj) => 0;
}
