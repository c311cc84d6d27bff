using Orchestrator.Models.Corpus;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features;

/// <summary>
/// The F, P, S and W streams of one utterance from its encoder frames and its alignment (method.md
/// section 3): F is the frames, P/S/W one mean frame vector per phone, syllable and word.
/// </summary>
/// <remarks>
/// Words come from <see cref="Alignment.Words"/>, phones from <see cref="Alignment.Phones"/>, syllables
/// from <see cref="Alignment.Syllables"/> or, when the corpus has none, from <see cref="Syllabifier"/>.
/// A stream with no segment left after silence is dropped (all silence, or the file was missing) is
/// absent for the utterance exactly as when there is no alignment at all: models that need it fall
/// back to F for that utterance, and <see cref="SpeechStreamCounts.Absent"/> lets the report count it.
/// </remarks>
public static class SpeechStreams
{
    /// <summary>Builds the speech streams of one utterance.</summary>
    /// <param name="alignment">The utterance's forced alignment, or null when it has none (then only F).</param>
    /// <param name="frames">(L, T, H) hidden states of the stored layers; F shares its storage, the caller keeps ownership of this handle.</param>
    /// <param name="timing">Where the encoder's frames lie in time.</param>
    /// <param name="options">Silence handling; null for <see cref="SegmentOptions.Default"/>.</param>
    public static SpeechStreamSet Build(Alignment? alignment, Tensor frames, FrameTiming timing, SegmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(timing);
        options ??= SegmentOptions.Default;
        if (frames.dim() != 3) throw new ArgumentException($"Expected frames (L, T, H), got {frames.dim()} dimensions.", nameof(frames));

        // Map first: a bad alignment throws before any tensor exists.
        var maps = new Dictionary<StreamKind, SegmentFrameMap>();
        var counts = new Dictionary<StreamKind, SegmentCounts>();
        var syllablesDerived = alignment is not null && alignment.Syllables is null;
        if (alignment is not null)
        {
            var segments = new Dictionary<StreamKind, IReadOnlyList<AlignedSegment>>
            {
                [StreamKind.Phone] = alignment.Phones,
                [StreamKind.Syllable] = alignment.Syllables ?? Syllabifier.Syllabify(alignment.Phones, alignment.Words),
                [StreamKind.Word] = alignment.Words,
            };
            var frameCount = (int)frames.shape[1];
            foreach (var kind in StreamKinds.Segmental)
            {
                var map = SegmentFrameMapper.Map(segments[kind], timing, frameCount, options.KeepSilence);
                counts[kind] = new SegmentCounts(segments[kind].Count, map.Kept, map.SilenceDropped, map.Clipped, map.NearestFallback);
                if (map.Kept > 0) maps[kind] = map;
            }
        }

        var streams = new Dictionary<StreamKind, Tensor>();
        var segmentFrames = new Dictionary<StreamKind, Tensor>();
        using (NewDisposeScope())
        {
            streams[StreamKind.Frame] = frames.alias();                                  // (L, T, H), shared storage
            foreach (var (kind, map) in maps)
            {
                streams[kind] = SegmentPooling.Pool(frames, map.Ranges);                 // (L, N, H)
                segmentFrames[kind] = SegmentPooling.ToTensor(map.Ranges);               // (N, 2) int64
            }
            foreach (var tensor in streams.Values.Concat(segmentFrames.Values)) tensor.MoveToOuterDisposeScope();
        }
        return new SpeechStreamSet(streams, segmentFrames, new SpeechStreamCounts(alignment is not null, syllablesDerived, counts));
    }
}
