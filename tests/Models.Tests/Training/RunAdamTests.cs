using Orchestrator.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

/// <summary>RunAdam replaces TorchSharp's Adam for its Scalars' sake: it must move the parameters exactly as that one does.</summary>
public sealed class RunAdamTests
{
    [Fact]
    public void It_updates_parameters_bit_for_bit_as_TorchSharps_Adam_over_many_steps()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var reference = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4));
        var ours = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4));
        ours.load_state_dict(reference.state_dict());
        using var adam = optim.Adam(reference.parameters(), lr: 1e-3);
        using var runAdam = new RunAdam(ours.parameters(), 1e-3);
        var inputs = randn(40, 32, 12);
        var labels = randint(0, 4, [40, 32]);
        var initial = ours.parameters().First().detach().clone();

        for (var step = 0; step < 40; step++)
        {
            using var stepScope = NewDisposeScope();
            adam.zero_grad();
            nn.functional.cross_entropy(reference.forward(inputs[step]), labels[step]).backward();
            adam.step();
            runAdam.ZeroGrad();
            nn.functional.cross_entropy(ours.forward(inputs[step]), labels[step]).backward();
            runAdam.Step();
        }

        var expected = reference.parameters().ToList();
        var actual = ours.parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i].equal(actual[i]).all().item<bool>(), $"parameter {i} differs after 40 steps");
        // And they moved: an optimiser that did nothing would match an Adam that did nothing.
        Assert.False(actual[0].equal(initial).all().item<bool>());
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_alone()
    {
        using var scope = NewDisposeScope();
        var used = nn.Parameter(ones(3));
        var unused = nn.Parameter(ones(3));
        using var adam = new RunAdam([used, unused], 0.1);

        (used * used).sum().backward();
        adam.Step();

        Assert.True(unused.equal(ones(3)).all().item<bool>());
        Assert.False(used.equal(ones(3)).all().item<bool>());
    }
}
