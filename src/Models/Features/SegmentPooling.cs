using static TorchSharp.torch;

namespace Orchestrator.Models.Features;

/// <summary>
/// One vector per segment and layer: the mean of the frame vectors the segment pools (method.md
/// section 3). The paper divides the sum over frames s..e by e - s; this divides by the number of
/// frames actually pooled, e - s + 1: a one-frame segment (where e - s is 0) is that frame itself.
/// </summary>
/// <remarks>
/// All segments at once as one matrix product: A (N, T) holds 1/count_n on the frames segment n
/// pools and 0 elsewhere, and A @ frames gives (L, N, H). For N ~ 100, T ~ 1000, H 768, L 13 that
/// is ~2 GFLOP, small beside the encoder that produced the frames, deterministic, and it runs on
/// whatever device the frames are on.
/// </remarks>
public static class SegmentPooling
{
    /// <summary>Means of <paramref name="frames"/> over each range.</summary>
    /// <param name="frames">(L, T, H) floating point: hidden states per layer and frame.</param>
    /// <param name="ranges">N inclusive frame ranges, each within [0, T).</param>
    /// <returns>(L, N, H), same dtype and device as <paramref name="frames"/>; the caller owns it.</returns>
    public static Tensor Pool(Tensor frames, IReadOnlyList<FrameRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(ranges);
        if (frames.dim() != 3) throw new ArgumentException($"Expected frames (L, T, H), got {frames.dim()} dimensions.", nameof(frames));
        if (!frames.is_floating_point()) throw new ArgumentException($"Expected floating-point frames, got {frames.dtype}.", nameof(frames));
        var length = (int)frames.shape[1];
        for (var n = 0; n < ranges.Count; n++)
        {
            var (first, last) = ranges[n];
            if (first < 0 || last < first || last >= length)
                throw new ArgumentException($"Range {n} [{first}, {last}] is not a non-empty range of the {length} frames.", nameof(ranges));
        }

        var weights = new float[ranges.Count * length];   // A: (N, T), row-major
        for (var n = 0; n < ranges.Count; n++)
        {
            var weight = 1f / ranges[n].Count;
            Array.Fill(weights, weight, n * length + ranges[n].First, ranges[n].Count);
        }

        using var scope = NewDisposeScope();
        var averaging = tensor(weights, [ranges.Count, length]).to(frames.dtype, frames.device);   // (N, T)
        var pooled = matmul(averaging, frames);                                                       // (N, T) @ (L, T, H) -> (L, N, H)
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>Means over the ranges of an int64 (N, 2) tensor as <see cref="ToTensor"/> writes it.</summary>
    public static Tensor Pool(Tensor frames, Tensor ranges) => Pool(frames, FromTensor(ranges));

    /// <summary>int64 (N, 2) CPU tensor of [first, last] rows: the stored form (<see cref="UtteranceFeatures.SegmentFrames"/>).</summary>
    public static Tensor ToTensor(IReadOnlyList<FrameRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var values = new long[ranges.Count * 2];
        for (var n = 0; n < ranges.Count; n++)
        {
            values[2 * n] = ranges[n].First;
            values[2 * n + 1] = ranges[n].Last;
        }
        return tensor(values, [ranges.Count, 2]);
    }

    /// <summary>Reads an int64 (N, 2) tensor of [first, last] rows back into ranges.</summary>
    public static IReadOnlyList<FrameRange> FromTensor(Tensor ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.dim() != 2 || ranges.shape[1] != 2 || ranges.dtype != ScalarType.Int64)
            throw new ArgumentException($"Expected int64 (N, 2) frame ranges, got {ranges.dtype} with {ranges.dim()} dimensions.", nameof(ranges));
        long[] values;
        using (NewDisposeScope())   // cpu() and contiguous() may return the caller's own tensor: a scope frees only what they created
            values = ranges.cpu().contiguous().data<long>().ToArray();
        var result = new FrameRange[values.Length / 2];
        for (var n = 0; n < result.Length; n++) result[n] = new FrameRange(checked((int)values[2 * n]), checked((int)values[2 * n + 1]));
        return result;
    }
}
