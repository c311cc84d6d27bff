using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features;

public sealed class SpeechStreamsTests
{
    private static readonly FrameTiming Timing = FrameTiming.Wav2Vec2Base;

    /// <summary>(2, 10, 3) frames with value 100 l + 10 t + h.</summary>
    private static Tensor Frames() => (arange(10f).view(1, 10, 1) * 10 + arange(3f).view(1, 1, 3) + arange(2f).view(2, 1, 1) * 100).contiguous();

    /// <summary>
    /// "&lt;s&gt; HAPPY &lt;/s&gt;": silence [0, 40) ms, HH AE P IY 40 ms each to 200 ms, silence [200, 400) ms, past
    /// the 10 frames. The corpus' syllables (HH AE P | IY) differ from the vowel rule's (HH AE | P IY) to tell them apart.
    /// </summary>
    private static Alignment HappyAlignment(bool withSyllables)
    {
        AlignedSegment[] phones =
        [
            new("SIL", 0, 3, true),
            new("HH", 4, 7, false), new("AE", 8, 11, false), new("P", 12, 15, false), new("IY", 16, 19, false),
            new("SIL", 20, 39, true),
        ];
        AlignedSegment[] words = [new("<s>", 0, 3, true), new("HAPPY", 4, 19, false), new("</s>", 20, 39, true)];
        AlignedSegment[] syllables = [new("SIL", 0, 3, true), new("HH AE P", 4, 15, false), new("IY", 16, 19, false), new("SIL", 20, 39, true)];
        return new Alignment(phones, words, withSyllables ? syllables : null);
    }

    [Fact]
    public void Without_alignment_only_the_frame_stream_exists_and_the_segmental_ones_are_counted_absent()
    {
        // Arrange
        using var frames = Frames();

        // Act
        using var set = SpeechStreams.Build(null, frames, Timing);

        // Assert
        Assert.Equal([StreamKind.Frame], set.Streams.Keys);
        Assert.Empty(set.SegmentFrames);
        Assert.False(set.Counts.HasAlignment);
        Assert.Equal(StreamKinds.Segmental, set.Counts.Absent);
        Assert.Equal(frames.data<float>().ToArray(), set.Streams[StreamKind.Frame].data<float>().ToArray());
    }

    [Fact]
    public void Pools_phones_syllables_and_words_over_their_frames()
    {
        // Arrange: phones HH [40, 80) -> frames 2, 3; AE [80, 120) -> 4, 5; P [120, 160) -> 6, 7; IY [160, 200) -> 8, 9.
        using var frames = Frames();

        // Act
        using var set = SpeechStreams.Build(HappyAlignment(withSyllables: true), frames, Timing);

        // Assert
        Assert.Equal([2L, 7, 8, 9], set.SegmentFrames[StreamKind.Syllable].data<long>().ToArray());
        Assert.Equal([2L, 9], set.SegmentFrames[StreamKind.Word].data<long>().ToArray());
        Assert.Equal([2L, 4, 3], set.Streams[StreamKind.Phone].shape);
        Assert.Equal(25f, set.Streams[StreamKind.Phone][0, 0, 0].item<float>(), 4);    // mean of t = 2, 3
        Assert.Equal(155f, set.Streams[StreamKind.Word][1, 0, 0].item<float>(), 4);    // layer 1, mean of t = 2 .. 9 is 5.5
        Assert.Equal(new SegmentCounts(6, 4, 2, 0, 0), set.Counts.Segments[StreamKind.Phone]);
        Assert.False(set.Counts.SyllablesDerived);
        Assert.Empty(set.Counts.Absent);
    }

    [Fact]
    public void Derives_syllables_from_phones_when_the_corpus_has_none()
    {
        // Arrange
        using var frames = Frames();

        // Act
        using var set = SpeechStreams.Build(HappyAlignment(withSyllables: false), frames, Timing);

        // Assert
        Assert.True(set.Counts.SyllablesDerived);
        Assert.Equal([2L, 5, 6, 9], set.SegmentFrames[StreamKind.Syllable].data<long>().ToArray());
    }

    [Fact]
    public void A_stream_left_with_only_silence_is_absent_and_counted()
    {
        // Arrange: the word file is all silence, the phones are fine.
        using var frames = Frames();
        var happy = HappyAlignment(withSyllables: true);
        var alignment = happy with { Words = [new AlignedSegment("<sil>", 0, 39, true)] };

        // Act
        using var set = SpeechStreams.Build(alignment, frames, Timing);

        // Assert
        Assert.False(set.Streams.ContainsKey(StreamKind.Word));
        Assert.False(set.SegmentFrames.ContainsKey(StreamKind.Word));
        Assert.Equal([StreamKind.Word], set.Counts.Absent);
        Assert.Equal(new SegmentCounts(1, 0, 1, 0, 0), set.Counts.Segments[StreamKind.Word]);
    }

    [Fact]
    public void Keeping_silence_pools_the_silence_segments_too()
    {
        // Arrange
        using var frames = Frames();

        // Act
        using var set = SpeechStreams.Build(HappyAlignment(withSyllables: true), frames, Timing, new SegmentOptions(KeepSilence: true));

        // Assert: the trailing </s> [200, 400) ms lies past the 10 frames: clipped to frame 9.
        Assert.Equal([0L, 1, 2, 9, 9, 9], set.SegmentFrames[StreamKind.Word].data<long>().ToArray());
        Assert.Equal(new SegmentCounts(3, 3, 0, 1, 0), set.Counts.Segments[StreamKind.Word]);
    }
}
