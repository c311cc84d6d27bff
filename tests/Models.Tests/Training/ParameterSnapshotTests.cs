using Orchestrator.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

public sealed class ParameterSnapshotTests
{
    [Fact]
    public void Restoring_puts_back_the_captured_weights_after_training_changed_them()
    {
        // Arrange
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var linear = nn.Linear(3, 2);
        var originalWeight = linear.weight!.detach().clone();
        var originalBias = linear.bias!.detach().clone();
        var input = randn(4, 3);
        var before = linear.forward(input).detach();
        using var snapshot = ParameterSnapshot.Capture(linear);
        using (no_grad())
        {
            linear.weight!.add_(1);
            linear.bias!.fill_(-3);
        }
        Assert.False(linear.weight!.allclose(originalWeight));     // the snapshot is a copy, not an alias

        // Act
        snapshot.RestoreInto(linear);

        // Assert
        Assert.Equal(["bias", "weight"], snapshot.Names.Order());
        Assert.True(linear.weight!.eq(originalWeight).all().item<bool>());
        Assert.True(linear.bias!.eq(originalBias).all().item<bool>());
        Assert.True(linear.forward(input).eq(before).all().item<bool>());
        Assert.True(linear.weight!.requires_grad);
    }

    [Fact]
    public void A_snapshot_outlives_the_dispose_scope_it_was_taken_in()
    {
        // Arrange: as a trainer does, capture inside an epoch's dispose scope.
        using var linear = nn.Linear(2, 2);
        using var expected = linear.weight!.detach().clone();
        ParameterSnapshot snapshot;
        using (NewDisposeScope())
        {
            snapshot = ParameterSnapshot.Capture(linear);
        }
        using (no_grad()) linear.weight!.zero_();

        // Act
        using (snapshot) snapshot.RestoreInto(linear);

        // Assert
        Assert.True(linear.weight!.eq(expected).all().item<bool>());
    }

    [Fact]
    public void Restoring_into_a_module_of_another_shape_is_refused()
    {
        // Arrange
        using var scope = NewDisposeScope();
        using var small = nn.Linear(3, 2);
        using var wide = nn.Linear(3, 4);
        using var snapshot = ParameterSnapshot.Capture(small);

        // Act / Assert
        Assert.Throws<ArgumentException>(() => snapshot.RestoreInto(wide));
        Assert.Throws<ArgumentException>(() => snapshot.RestoreInto(nn.Linear(3, 2, hasBias: false)));
    }
}
