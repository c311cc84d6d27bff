using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Fusion;

public sealed class MaskedMeanTests
{
    [Fact]
    public void It_averages_only_the_valid_elements_even_when_padding_holds_nan()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 10f, 3f, 30f, float.NaN, float.NaN, 5f, 50f, 1e9f, 1e9f, 7f, 70f }).view(2, 3, 2); // (B, N, D)
        var mask = tensor(new[] { true, true, false, true, false, true }).view(2, 3);

        var mean = MaskedMean.Apply(x, mask).data<float>().ToArray();                                        // (B, D)

        Assert.Equal([2f, 20f, 6f, 60f], mean);
    }

    [Fact]
    public void A_row_without_valid_elements_gives_zeros_not_nan()
    {
        using var scope = NewDisposeScope();

        var mean = MaskedMean.Apply(ones(1, 2, 3), zeros(1, 2, dtype: ScalarType.Bool));

        Assert.Equal(0, mean.abs().sum().item<float>());
    }
}
