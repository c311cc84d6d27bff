using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>Element-wise comparison against the golden references.</summary>
internal static class Parity
{
    /// <summary>A correct float32 implementation lands near 1e-6; 2e-5 still catches a wrong BERT LayerNorm epsilon (README).</summary>
    public const double Tolerance = 2e-5;

    /// <summary>max |actual - expected|, after checking the shapes agree.</summary>
    public static double MaxAbsError(Tensor actual, Tensor expected, string what)
    {
        Assert.True(actual.shape.SequenceEqual(expected.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}] != reference [{string.Join(", ", expected.shape)}]");
        using var difference = (actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs().max();
        return difference.item<double>();
    }

    /// <summary>Asserts max |actual - expected| &lt;= <see cref="Tolerance"/> and returns it.</summary>
    public static double AssertClose(Tensor actual, Tensor expected, string what)
    {
        var error = MaxAbsError(actual, expected, what);
        Assert.True(error <= Tolerance, $"{what}: max abs error {error:e2} > {Tolerance:e0}");
        return error;
    }
}
