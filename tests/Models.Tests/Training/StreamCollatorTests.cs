using Orchestrator.Models.Training;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// The one-pass collation must give exactly what standardising each utterance (or the padded batch)
/// with libtorch and padding gave before: the same float operations, so equal values, not close ones.
/// </summary>
public sealed class StreamCollatorTests
{
    private static Tensor Utterance(int length, int seed) => randn(4, length, 20, generator: new Generator((ulong)seed)) * 3 + 1; // (L, N, H), H not a multiple of 8

    [Fact]
    public void Standardize_equals_standardising_each_utterance_and_padding_bit_for_bit()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var items = new[] { Utterance(7, 1), Utterance(13, 2), Utterance(1, 3) };
        using var first = Standardizer.Fit([Utterance(9, 4), Utterance(5, 5)]);
        using var second = Standardizer.Fit([Utterance(3, 6)]);
        var standardizers = new[] { first, second, first };
        var expected = StreamCollator.Collate(items.Select((t, b) => standardizers[b].Apply(t)).ToList(), CPU, "F");

        // Act
        var actual = StreamCollator.Standardize(items, standardizers, CPU, "F");

        // Assert
        Assert.Equal(expected.Values.shape, actual.Values.shape);
        Assert.True(expected.Values.equal(actual.Values).all().item<bool>());
        Assert.True(expected.Mask.equal(actual.Mask).all().item<bool>());
    }

    [Fact]
    public void Standardize_with_global_statistics_equals_the_masked_batch_standardisation()
    {
        // Arrange
        using var scope = NewDisposeScope();
        var items = new[] { Utterance(11, 7), Utterance(4, 8) };
        using var standardizer = Standardizer.Fit(items);
        var raw = StreamCollator.Collate(items, CPU, "W");
        var expected = standardizer.Apply(raw.Values, raw.Mask);

        // Act
        var actual = StreamCollator.Standardize(items, [standardizer, standardizer], CPU, "W");

        // Assert
        Assert.True(expected.equal(actual.Values).all().item<bool>());
        Assert.Equal(0, actual.Values[1, .., 4..].abs().sum().item<float>());                 // padding is zero
    }
}
