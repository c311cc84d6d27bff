using Orchestrator.Models.Training;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

public sealed class StandardizerTests
{
    // Two utterances, 2 layers, width 2: A has 2 elements, B has 1.
    //   layer 0, dim 0: 1, 3 | 5   mean 3, population variance (4 + 0 + 4) / 3 = 8/3
    //   layer 0, dim 1: 2, 2 | 2   mean 2, variance 0
    //   layer 1, dim 0: 0, 0 | 6   mean 2, variance (4 + 4 + 16) / 3 = 8
    //   layer 1, dim 1: -1, 1 | 3  mean 1, variance (4 + 0 + 4) / 3 = 8/3
    private static Tensor UtteranceA() => tensor(new float[] { 1, 2, 3, 2, 0, -1, 0, 1 }).reshape(2, 2, 2);   // (L, N, H)
    private static Tensor UtteranceB() => tensor(new float[] { 5, 2, 6, 3 }).reshape(2, 1, 2);

    private static readonly double[,] Mean = { { 3, 2 }, { 2, 1 } };
    private static readonly double[,] Std = { { Math.Sqrt(8.0 / 3), 0 }, { Math.Sqrt(8), Math.Sqrt(8.0 / 3) } };

    [Fact]
    public void Statistics_over_all_elements_of_all_utterances_match_the_hand_computation()
    {
        // Arrange
        using var scope = NewDisposeScope();

        // Act
        using var standardizer = Standardizer.Fit([UtteranceA(), UtteranceB()]);

        // Assert
        for (var l = 0; l < 2; l++)
            for (var h = 0; h < 2; h++)
            {
                Assert.Equal(Mean[l, h], standardizer.Mean[l, h].item<float>(), 1e-6);
                Assert.Equal(Std[l, h], standardizer.Std[l, h].item<float>(), 1e-6);
            }
    }

    [Fact]
    public void Apply_subtracts_the_mean_and_divides_by_std_plus_epsilon_and_a_zero_variance_dimension_stays_finite()
    {
        // Arrange
        using var scope = NewDisposeScope();
        using var standardizer = Standardizer.Fit([UtteranceA(), UtteranceB()]);
        var probe = tensor(new float[] { 1, 3, 3, 2, 6, -1, 2, 1 }).reshape(2, 2, 2);   // layer 0 dim 1 holds 3 once: off the constant 2

        // Act
        var result = standardizer.Apply(probe, "anyone");

        // Assert
        var eps = Standardizer.DefaultEpsilon;
        double[,,] expected =
        {
            { { (1 - 3) / (Std[0, 0] + eps), (3 - 2) / eps }, { (3 - 3) / (Std[0, 0] + eps), 0 } },
            { { (6 - 2) / (Std[1, 0] + eps), (-1 - 1) / (Std[1, 1] + eps) }, { 0, 0 } },
        };
        Assert.True(result.isfinite().all().item<bool>());
        for (var l = 0; l < 2; l++)
            for (var n = 0; n < 2; n++)
                for (var h = 0; h < 2; h++)
                    Assert.Equal(expected[l, n, h], result[l, n, h].item<float>(), Math.Abs(expected[l, n, h]) * 1e-5 + 1e-5);
    }

    [Fact]
    public void Merging_utterances_keeps_precision_when_the_mean_dwarfs_the_spread()
    {
        // Arrange: values 1e6 + {0..99} split over 10 utterances; variance of 0..99 is (100^2 - 1) / 12.
        using var scope = NewDisposeScope();
        var utterances = Enumerable.Range(0, 10)
            .Select(u => (arange(10 * u, 10 * u + 10, dtype: ScalarType.Float64) + 1e6).reshape(1, 10, 1)).ToList();

        // Act
        using var statistics = new StreamStatistics();
        foreach (var u in utterances) statistics.Add(u);
        using var standardizer = statistics.ToStandardizer();

        // Assert
        Assert.Equal(100, statistics.Count);
        Assert.Equal(Math.Sqrt((100.0 * 100 - 1) / 12), standardizer.Std[0, 0].item<float>(), 1e-4);
        Assert.Equal(1e6 + 49.5, standardizer.Mean[0, 0].item<float>(), 0.1);
    }

    [Fact]
    public void A_masked_batch_is_standardised_like_its_utterances_and_padding_stays_zero()
    {
        // Arrange
        using var scope = NewDisposeScope();
        using var standardizer = Standardizer.Fit([UtteranceA(), UtteranceB()]);
        var batch = stack([UtteranceA(), nn.functional.pad(UtteranceB(), [0, 0, 0, 1])]);   // (B=2, L=2, N=2, H=2)
        var mask = tensor(new[] { true, true, true, false }).reshape(2, 2);

        // Act
        var result = standardizer.Apply(batch, mask);

        // Assert
        Assert.True(result[0].allclose(standardizer.Apply(UtteranceA())));
        Assert.True(result[1, .., ..1].allclose(standardizer.Apply(UtteranceB())));
        Assert.Equal(0, result[1, .., 1].abs().sum().item<float>());
    }

    [Fact]
    public void Per_speaker_statistics_standardise_each_speaker_with_their_own_utterances()
    {
        // Arrange: speaker "a" around 10, speaker "b" around -40 with 5 times the spread.
        using var scope = NewDisposeScope();
        var a = new[] { tensor(new float[] { 9, 11 }).reshape(1, 2, 1), tensor(new float[] { 10 }).reshape(1, 1, 1) };
        var b = new[] { tensor(new float[] { -45, -35 }).reshape(1, 2, 1) };

        // Act
        using var standardizer = SpeakerStandardizer.Fit([("a", a[0]), ("b", b[0]), ("a", a[1])]);
        var aResult = standardizer.Apply(a[0], "a");
        var bResult = standardizer.Apply(b[0], "b");

        // Assert: a: mean 10, std sqrt(2/3); b: mean -40, std 5.
        Assert.Equal(["a", "b"], standardizer.Speakers.Order());
        Assert.Equal(-1 / (Math.Sqrt(2.0 / 3) + 1e-5), aResult[0, 0, 0].item<float>(), 1e-5);
        Assert.Equal(-5 / (5 + 1e-5), bResult[0, 0, 0].item<float>(), 1e-5);
        Assert.Throws<KeyNotFoundException>(() => standardizer.Apply(a[0], "c"));
    }

    [Fact]
    public void A_standardiser_outlives_the_dispose_scope_it_was_fitted_in()
    {
        // Arrange
        Standardizer standardizer;
        using (NewDisposeScope())
        {
            standardizer = Standardizer.Fit([UtteranceA(), UtteranceB()]);
        }
        using var probe = tensor(new float[] { 3, 2, 2, 1 }).reshape(2, 1, 2);   // the means: standardises to 0

        // Act
        using (standardizer)
        using (var result = standardizer.Apply(probe))
        {
            // Assert
            Assert.Equal(0, result.abs().max().item<float>());
        }
    }

    [Fact]
    public void Refuses_utterances_of_another_shape_and_fitting_on_nothing()
    {
        // Arrange
        using var scope = NewDisposeScope();
        using var statistics = new StreamStatistics();
        statistics.Add(UtteranceA());
        using var standardizer = statistics.ToStandardizer();

        // Act / Assert
        Assert.Throws<ArgumentException>(() => statistics.Add(zeros(3, 1, 2)));
        Assert.Throws<ArgumentException>(() => statistics.Add(zeros(2, 2)));
        Assert.Throws<ArgumentException>(() => standardizer.Apply(zeros(2, 4, 3)));
        Assert.Throws<InvalidOperationException>(() => Standardizer.Fit([]));
    }
}
