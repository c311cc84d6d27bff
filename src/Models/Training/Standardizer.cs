using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Per-layer, per-dimension standardisation of an embedding stream with statistics of a fold's
/// training split (method.md section 1, the paper's "global normalisation" of the embeddings):
/// y = (x - mean) / (std + epsilon).
/// </summary>
/// <remarks>
/// <see cref="DefaultEpsilon"/> = 1e-5 keeps a zero-variance dimension finite: its training
/// values become 0, and other values are scaled by 1e5, large but finite. Frozen encoders'
/// hidden states have no constant dimensions in practice; a corpus that produced one would show
/// it in the statistics (<see cref="Std"/>).
/// </remarks>
public sealed class Standardizer : IUtteranceStandardizer, IDisposable
{
    /// <summary>Added to the standard deviation before dividing.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>Takes ownership of <paramref name="mean"/> and <paramref name="std"/>, both (L, H).</summary>
    public Standardizer(Tensor mean, Tensor std, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.dim() != 2 || !mean.shape.SequenceEqual(std.shape))
            throw new ArgumentException($"Mean [{string.Join(", ", mean.shape)}] and std [{string.Join(", ", std.shape)}] must both be (layers, width).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        Mean = mean.DetachFromDisposeScope();
        Std = std.DetachFromDisposeScope();
        Epsilon = epsilon;
    }

    /// <summary>(L, H): the training split's mean.</summary>
    public Tensor Mean { get; }

    /// <summary>(L, H): the training split's population standard deviation.</summary>
    public Tensor Std { get; }

    public double Epsilon { get; }

    private float[]? _meanValues;
    private float[]? _scaleValues;

    /// <summary>
    /// (L * H) the mean and (L * H) the divisor std + epsilon as <see cref="Apply(Tensor, Tensor?)"/>
    /// computes them in float32 (the divisor by libtorch's own add, so its rounding is the same), for
    /// <see cref="StreamCollator.Standardize"/>'s one pass over a batch.
    /// </summary>
    internal (float[] Mean, float[] Scale) Values()
    {
        if (_meanValues is null || _scaleValues is null)
        {
            using var scope = NewDisposeScope();
            var mean = Mean.to(ScalarType.Float32, CPU).contiguous();
            using var epsilon = Epsilon.ToScalar();                                // explicit: see RunAdam
            var scale = (Std.to(ScalarType.Float32, CPU) + epsilon).contiguous();
            (_meanValues, _scaleValues) = (mean.data<float>().ToArray(), scale.data<float>().ToArray());
        }
        return (_meanValues, _scaleValues);
    }

    /// <summary>Statistics over every element of <paramref name="utterances"/> (each (L, N, H)), read one at a time.</summary>
    public static Standardizer Fit(IEnumerable<Tensor> utterances, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        using var statistics = new StreamStatistics();
        foreach (var utterance in utterances) statistics.Add(utterance);
        return statistics.ToStandardizer(epsilon);
    }

    /// <summary>
    /// A new tensor: <paramref name="values"/> (L, N, H) or (B, L, N, H) standardised. With a
    /// <paramref name="mask"/> (B, N) for a batch, padded positions are set to 0 rather than
    /// to -mean / std, so padding stays recognisable.
    /// </summary>
    public Tensor Apply(Tensor values, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var d = values.dim();
        if ((d != 3 && d != 4) || values.shape[d - 3] != Mean.shape[0] || values.shape[d - 1] != Mean.shape[1])
            throw new ArgumentException($"Expected (layers, length, width) or (batch, layers, length, width) with {Mean.shape[0]} layers of width {Mean.shape[1]}; got [{string.Join(", ", values.shape)}].", nameof(values));
        using var scope = NewDisposeScope();
        var mean = Mean.to(values.dtype, values.device).unsqueeze(1);             // (L, 1, H)
        using var epsilon = Epsilon.ToScalar();                                    // explicit: see RunAdam
        var scale = (Std.to(values.dtype, values.device) + epsilon).unsqueeze(1);  // (L, 1, H)
        var result = (values - mean) / scale;                                      // broadcasts over (B,) L, N, H
        if (mask is not null)
        {
            if (d != 4 || mask.dim() != 2 || mask.shape[0] != values.shape[0] || mask.shape[1] != values.shape[2])
                throw new ArgumentException($"A mask applies to a batch (B, L, N, H) and is (B, N); got mask [{string.Join(", ", mask.shape)}] for values [{string.Join(", ", values.shape)}].", nameof(mask));
            using var zero = 0.ToScalar();                                         // explicit: see RunAdam
            result = result.masked_fill(mask.logical_not().unsqueeze(1).unsqueeze(-1), zero);  // (B, 1, N, 1)
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    /// <remarks>Global statistics: the speaker plays no part.</remarks>
    public Tensor Apply(Tensor utterance, string speaker) => Apply(utterance, (Tensor?)null);

    /// <inheritdoc/>
    /// <remarks>Global statistics: the same for every speaker.</remarks>
    public Standardizer For(string speaker) => this;

    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
