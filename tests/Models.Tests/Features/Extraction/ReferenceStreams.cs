using System.Text.RegularExpressions;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders.Wav2Vec2;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Extraction;

/// <summary>
/// method.md section 3 written out again with plain arithmetic, independently of SegmentFrameMapper,
/// SegmentPooling and TranscriptCleaner, to check what the extractor stores.
/// </summary>
internal static partial class ReferenceStreams
{
    /// <summary>Hop and receptive field of the conv stack: hop = prod strides, field = 1 + sum (k_i - 1) prod_{j&lt;i} s_j.</summary>
    public static (long Hop, long Field) Geometry(Wav2Vec2Config config)
    {
        long hop = 1, field = 1;
        for (var i = 0; i < config.ConvKernel.Length; i++)
        {
            field += (config.ConvKernel[i] - 1) * hop;
            hop *= config.ConvStride[i];
        }
        return (hop, field);
    }

    /// <summary>
    /// The frames a segment over inclusive 10 ms frames [a, b] pools among <paramref name="frames"/>:
    /// those whose centre c_f = (hop f + field / 2) / rate lies in [a / 100, (b + 1) / 100); if none, the one
    /// nearest the midpoint (earlier on a tie); past the end, clipped to the last frame.
    /// </summary>
    public static (int First, int Last) Frames(AlignedSegment segment, long hop, long field, long rate, int frames)
    {
        // Everything in units of 1 / (200 rate) s, so the comparisons are exact: c_f -> 100 (2 hop f + field).
        long Centre(long f) => 100 * (2 * hop * f + field);
        var start = 2 * rate * segment.StartFrame;
        var end = 2 * rate * (segment.EndFrame + 1L);
        var covered = new List<long>();
        for (long f = 0; Centre(f) < end; f++)
            if (Centre(f) >= start) covered.Add(f);
        long first, last;
        if (covered.Count > 0) (first, last) = (covered[0], covered[^1]);
        else
        {
            var middle = rate * ((long)segment.StartFrame + segment.EndFrame + 1);
            long best = 0;
            for (long f = 1; Centre(f) <= end + 200 * hop; f++)
                if (Math.Abs(Centre(f) - middle) < Math.Abs(Centre(best) - middle)) best = f;
            (first, last) = (best, best);
        }
        if (last >= frames) (first, last) = (Math.Min(first, frames - 1), frames - 1);
        return ((int)first, (int)last);
    }

    /// <summary>(L, N, H): per segment the mean of its frames, from (L, T, H) states.</summary>
    public static Tensor Pool(Tensor states, IReadOnlyList<(int First, int Last)> ranges) =>
        stack(ranges.Select(r => states[.., r.First..(r.Last + 1)].mean([1L])).ToArray(), dim: 1);

    /// <summary>The transcript without [bracketed] tags, whitespace collapsed.</summary>
    public static string Clean(string transcript) => Spaces().Replace(Tags().Replace(transcript, " "), " ").Trim();

    [GeneratedRegex(@"\[[^\]\[]*\]")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
