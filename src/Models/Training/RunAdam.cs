using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Adam (beta1 0.9, beta2 0.999, eps 1e-8, no weight decay, no AMSGrad), the same operations in the
/// same order as TorchSharp's <c>optim.Adam</c>, so a run's parameters are bit for bit those it gave,
/// but with every <see cref="Scalar"/> made explicitly and disposed after its call.
/// </summary>
/// <remarks>
/// Written here because TorchSharp's <c>Adam.step</c> passes implicitly converted Scalars
/// (<c>mul_(beta1)</c>, <c>add_(eps)</c>, ...) whose native copies are freed by their finalizer, and the
/// garbage collector may finalize one while the native call still reads it (dotnet/TorchSharp PR 1496):
/// a demo run crashed in <c>add_</c> with "Expected false to be true" from <c>Scalar::toFloat</c>. One
/// training thread per process does not prevent it (the finalizer thread is another), explicit Scalars do.
/// </remarks>
public sealed class RunAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly (Parameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq)[] _states;
    private readonly double _learningRate;
    private long _step;

    public RunAdam(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _learningRate = learningRate;
        using var noGrad = no_grad();
        _states = parameters.Select(p => (p, zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope())).ToArray();
    }

    /// <summary>Zeroes every parameter's gradient in place, as <c>Optimizer.zero_grad</c> does.</summary>
    public void ZeroGrad()
    {
        foreach (var (parameter, _, _) in _states)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter with a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // One step count for all, as TorchSharp keeps one per parameter and steps them together.
        _step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(Beta2, _step);
        using var beta1 = Beta1.ToScalar();
        using var keep1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var keep2 = (1 - Beta2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var stepSize = (-(_learningRate / biasCorrection1)).ToScalar();
        foreach (var (parameter, expAvg, expAvgSq) in _states)
        {
            using var grad = parameter.grad;
            if (grad is null) continue;
            expAvg.mul_(beta1).add_(grad, alpha: keep1);
            expAvgSq.mul_(beta2).addcmul_(grad, grad, value: keep2);          // conj() of a real tensor is itself
            var denominator = expAvgSq.sqrt().div_(correction2).add_(epsilon);
            parameter.addcdiv_(expAvg, denominator, value: stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var (_, expAvg, expAvgSq) in _states)
        {
            expAvg.Dispose();
            expAvgSq.Dispose();
        }
    }
}
