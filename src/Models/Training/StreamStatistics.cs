using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Running mean and variance per (layer, dimension) of one embedding stream, over every element
/// (frame, segment or token) of the utterances added, one utterance (L, N, H) at a time so a
/// fold's training split never has to be in memory at once.
/// </summary>
/// <remarks>
/// Accumulates in float64 on the CPU and merges each utterance with Chan, Golub and LeVeque's
/// pairwise update (count, mean, sum of squared deviations) rather than raw sums of squares,
/// which lose the variance to cancellation when a dimension's mean is large against its spread.
/// The variance is the population variance (divide by the element count), as
/// scikit-learn's StandardScaler computes it.
/// </remarks>
public sealed class StreamStatistics : IDisposable
{
    private Tensor? mean;          // (L, H) float64
    private Tensor? squaredDeviations; // (L, H) float64: sum over elements of (x - mean)^2

    /// <summary>Elements (sequence positions, summed over utterances) added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds every element of one utterance: <paramref name="utterance"/> (L, N, H), all N valid.</summary>
    public void Add(Tensor utterance)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        if (utterance.dim() != 3) throw new ArgumentException($"An utterance's stream is (layers, length, width); got {utterance.dim()} dimensions [{string.Join(", ", utterance.shape)}].", nameof(utterance));
        if (mean is not null && (mean.shape[0] != utterance.shape[0] || mean.shape[1] != utterance.shape[2]))
            throw new ArgumentException($"Utterance has {utterance.shape[0]} layers of width {utterance.shape[2]}; earlier ones had {mean.shape[0]} of width {mean.shape[1]}.", nameof(utterance));
        var added = utterance.shape[1];
        if (added == 0) return;

        using var scope = NewDisposeScope();
        var x = utterance.detach().to(ScalarType.Float64, CPU);                    // (L, N, H)
        var batchMean = x.mean([1]);                                               // (L, H)
        var batchDeviations = (x - batchMean.unsqueeze(1)).square().sum(1);        // (L, H)
        if (mean is null || squaredDeviations is null)
        {
            mean = batchMean.DetachFromDisposeScope();
            squaredDeviations = batchDeviations.DetachFromDisposeScope();
        }
        else
        {
            var total = Count + added;
            var delta = batchMean - mean;                                          // (L, H)
            mean.add_(delta * ((double)added / total));
            squaredDeviations.add_(batchDeviations + delta.square() * ((double)Count * added / total));
        }
        Count += added;
    }

    /// <summary>The standardiser of these statistics; throws if nothing was added.</summary>
    public Standardizer ToStandardizer(double epsilon = Standardizer.DefaultEpsilon)
    {
        if (mean is null || squaredDeviations is null || Count == 0)
            throw new InvalidOperationException("No element was added: standardisation statistics need at least one training utterance.");
        using var scope = NewDisposeScope();
        var std = (squaredDeviations / Count).sqrt();
        return new Standardizer(mean.to_type(ScalarType.Float32), std.to_type(ScalarType.Float32), epsilon);
    }

    public void Dispose()
    {
        mean?.Dispose();
        squaredDeviations?.Dispose();
        mean = squaredDeviations = null;
    }
}
