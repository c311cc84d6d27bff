using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.BuiltIn;

/// <summary>
/// Draws every parameter of a module from a private generator, so the result depends only on the
/// seed and the parameter names: TorchSharp's default initialisers use the process-wide generator,
/// which other threads may draw from at the same time.
/// </summary>
public static class SeededInitialization
{
    /// <summary>
    /// Norm weights and weight-norm gains 1, biases 0, embeddings N(0, 1), every other weight
    /// LeCun-uniform (variance 1 / fan-in), which keeps activations from vanishing through an
    /// untrained stack. Visited in state-dict order.
    /// </summary>
    public static void Apply(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var scope = NewDisposeScope();
            var shape = parameter.shape;
            Tensor value;
            if (name.EndsWith("bias", StringComparison.Ordinal)) value = zeros(shape);
            else if (shape.Length == 1 || name.EndsWith("weight_g", StringComparison.Ordinal)) value = ones(shape);
            else if (name.Contains("embeddings.", StringComparison.Ordinal) && shape.Length == 2 && !name.Contains("projection", StringComparison.Ordinal))
                value = randn(shape, generator: generator);
            else
            {
                var fanIn = parameter.numel() / shape[0];
                var bound = Math.Sqrt(3.0 / fanIn);
                value = rand(shape, generator: generator) * (2 * bound) - bound;
            }
            parameter.copy_(value);
        }
    }
}
