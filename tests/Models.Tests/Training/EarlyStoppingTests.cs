using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

public sealed class EarlyStoppingTests
{
    private static EarlyStopping Run(EarlyStopping stopping, params double[] scores)
    {
        foreach (var score in scores)
        {
            Assert.False(stopping.ShouldStop, $"stopped before epoch {stopping.EpochsRun + 1}");
            stopping.Observe(score);
        }
        return stopping;
    }

    [Fact]
    public void Stops_after_patience_epochs_without_improvement_and_remembers_the_best()
    {
        // Act
        var stopping = Run(new EarlyStopping(patience: 3), 0.50, 0.60, 0.55, 0.58, 0.59);

        // Assert
        Assert.True(stopping.ShouldStop);
        Assert.Equal(5, stopping.EpochsRun);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(0.60, stopping.BestScore);
    }

    [Fact]
    public void An_improvement_resets_the_patience()
    {
        // Arrange
        var stopping = Run(new EarlyStopping(patience: 3), 0.50, 0.40, 0.45);

        // Act
        var improved = stopping.Observe(0.51);

        // Assert
        Assert.True(improved);
        Assert.False(stopping.ShouldStop);
        Assert.Equal(4, stopping.BestEpoch);
        Assert.Equal(0, stopping.EpochsWithoutImprovement);
        Run(stopping, 0.3, 0.3);
        Assert.False(stopping.ShouldStop);
        Run(stopping, 0.3);
        Assert.True(stopping.ShouldStop);
    }

    [Fact]
    public void An_equal_score_or_NaN_is_not_an_improvement()
    {
        // Arrange
        var stopping = new EarlyStopping(patience: 5);

        // Act
        var first = stopping.Observe(0.7);
        var tie = stopping.Observe(0.7);
        var nan = stopping.Observe(double.NaN);

        // Assert
        Assert.Equal([true, false, false], new[] { first, tie, nan });
        Assert.Equal(1, stopping.BestEpoch);
    }

    [Fact]
    public void Stops_at_the_epoch_limit_even_while_improving()
    {
        // Act
        var stopping = Run(new EarlyStopping(patience: 5, maxEpochs: 4), 0.1, 0.2, 0.3, 0.4);

        // Assert
        Assert.True(stopping.ShouldStop);
        Assert.Equal(4, stopping.BestEpoch);
        Assert.Throws<InvalidOperationException>(() => stopping.Observe(0.5));
    }

    [Fact]
    public void Defaults_are_the_method_patience_5_and_100_epochs()
    {
        // Act
        var stopping = new EarlyStopping();
        Run(stopping, 0.9, 0.1, 0.1, 0.1, 0.1);
        var beforeFifth = stopping.ShouldStop;
        stopping.Observe(0.1);

        // Assert
        Assert.Equal((5, 100), (stopping.Patience, stopping.MaxEpochs));
        Assert.False(beforeFifth);
        Assert.True(stopping.ShouldStop);
    }
}
