using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders.Wav2Vec2;
using Orchestrator.Models.Features;

namespace Orchestrator.Models.Tests.Features;

public sealed class SegmentFrameMapperTests
{
    // wav2vec2: centres at 12.5, 32.5, 52.5, 72.5, 92.5, 112.5 ms ...
    private static readonly FrameTiming Base = FrameTiming.Wav2Vec2Base;

    private static AlignedSegment Speech(int start, int end, string label = "AH") => new(label, start, end, IsSilence: false);

    private static AlignedSegment Silence(int start, int end, string label = "SIL") => new(label, start, end, IsSilence: true);

    [Fact]
    public void Timing_from_the_wav2vec2_config_puts_frame_centres_at_20_ms_steps_from_12_5_ms()
    {
        // Act
        var timing = FrameTiming.From(new Wav2Vec2Config(), 16000);

        // Assert
        Assert.Equal((320, 400, 16000), (timing.HopSamples, timing.ReceptiveFieldSamples, timing.SampleRate));
        Assert.Equal(0.0125, timing.CentreSeconds(0), 12);
        Assert.Equal(0.0325, timing.CentreSeconds(1), 12);
        Assert.Equal(2 * 320 * 7 + 400, timing.TwiceCentreSample(7));
    }

    [Fact]
    public void A_segment_pools_the_frames_whose_centre_lies_in_its_span()
    {
        // Arrange: [0, 100) ms holds centres 12.5 .. 92.5; [100, 160) ms holds 112.5, 132.5, 152.5.
        AlignedSegment[] segments = [Speech(0, 9), Speech(10, 15)];

        // Act
        var map = SegmentFrameMapper.Map(segments, Base, frameCount: 50);

        // Assert
        Assert.Equal([new FrameRange(0, 4), new FrameRange(5, 7)], map.Ranges);
        Assert.Equal((2, 0, 0, 0), (map.Kept, map.SilenceDropped, map.Clipped, map.NearestFallback));
    }

    [Fact]
    public void A_segment_shorter_than_a_hop_without_a_centre_takes_the_frame_nearest_its_midpoint()
    {
        // Arrange: [20, 30) ms has no centre; its midpoint 25 ms is 7.5 ms from frame 1 (32.5), 12.5 ms from frame 0.
        //          [40, 50) ms has none either; its midpoint 45 ms is 7.5 ms from frame 2 (52.5), 12.5 ms from frame 1.
        //          [10, 20) ms holds centre 12.5: no fallback.
        AlignedSegment[] segments = [Speech(2, 2), Speech(4, 4), Speech(1, 1)];

        // Act
        var map = SegmentFrameMapper.Map(segments, Base, frameCount: 50);

        // Assert
        Assert.Equal([new FrameRange(1, 1), new FrameRange(2, 2), new FrameRange(0, 0)], map.Ranges);
        Assert.Equal(2, map.NearestFallback);
    }

    [Fact]
    public void A_midpoint_halfway_between_two_centres_takes_the_earlier_frame()
    {
        // Arrange: hop 40 ms, receptive field 20 ms: centres at 10, 50, 90 ms. [20, 40) ms has no centre and
        // its midpoint 30 ms is 20 ms from both frame 0 and frame 1.
        var timing = new FrameTiming(hopSamples: 640, receptiveFieldSamples: 320, sampleRate: 16000);

        // Act
        var map = SegmentFrameMapper.Map([Speech(2, 3)], timing, frameCount: 10);

        // Assert
        Assert.Equal([new FrameRange(0, 0)], map.Ranges);
        Assert.Equal(1, map.NearestFallback);
    }

    [Fact]
    public void A_centre_exactly_on_a_span_start_is_in_the_span_and_one_on_its_end_is_not()
    {
        // Arrange: hop 20 ms, receptive field 20 ms: centres at exactly 10, 30, 50 ms, on the 10 ms grid.
        var timing = new FrameTiming(hopSamples: 320, receptiveFieldSamples: 320, sampleRate: 16000);
        AlignedSegment[] segments = [Speech(1, 2), Speech(3, 4), Speech(1, 4)];   // [10, 30), [30, 50), [10, 50)

        // Act
        var map = SegmentFrameMapper.Map(segments, timing, frameCount: 10);

        // Assert
        Assert.Equal([new FrameRange(0, 0), new FrameRange(1, 1), new FrameRange(0, 1)], map.Ranges);
        Assert.Equal(0, map.NearestFallback);
    }

    [Fact]
    public void Boundaries_hold_where_floating_point_centres_would_round_below_them()
    {
        // Arrange: centres at exactly 10 + 20 f ms. In doubles 0.02 * 3 + 0.01 < 0.07 and 0.02 * 116 + 0.01 < 2.33,
        // which would push frames 3 and 116 out of the spans they start.
        var timing = new FrameTiming(hopSamples: 320, receptiveFieldSamples: 320, sampleRate: 16000);
        AlignedSegment[] segments = [Speech(7, 8), Speech(5, 6), Speech(233, 234)];   // [70, 90), [50, 70), [2330, 2350)

        // Act
        var map = SegmentFrameMapper.Map(segments, timing, frameCount: 200);

        // Assert
        Assert.Equal([new FrameRange(3, 3), new FrameRange(2, 2), new FrameRange(116, 116)], map.Ranges);
        Assert.Equal(0, map.NearestFallback);
    }

    [Fact]
    public void Segments_past_the_last_frame_are_clipped_to_it_and_counted()
    {
        // Arrange: 5 frames, last centre 92.5 ms.
        AlignedSegment[] segments =
        [
            Speech(9, 9),     // [90, 100) holds 92.5: inside
            Speech(8, 14),    // [80, 150) would pool frames 4..6
            Speech(10, 10),   // [100, 110) no centre; nearest would be frame 5 (112.5)
            Speech(20, 25),   // wholly after the audio
        ];

        // Act
        var map = SegmentFrameMapper.Map(segments, Base, frameCount: 5);

        // Assert
        Assert.Equal([new FrameRange(4, 4), new FrameRange(4, 4), new FrameRange(4, 4), new FrameRange(4, 4)], map.Ranges);
        Assert.Equal(3, map.Clipped);
        Assert.Equal(0, map.NearestFallback);
    }

    [Fact]
    public void A_segment_running_past_the_end_keeps_the_frames_it_covers()
    {
        // Act: [60, 150) ms over 5 frames: centres 72.5 and 92.5 exist, 112.5 .. 132.5 do not.
        var map = SegmentFrameMapper.Map([Speech(6, 14)], Base, frameCount: 5);

        // Assert
        Assert.Equal([new FrameRange(3, 4)], map.Ranges);
        Assert.Equal(1, map.Clipped);
    }

    [Fact]
    public void Silence_and_noise_are_dropped_by_default_and_counted()
    {
        // Arrange
        AlignedSegment[] segments = [Silence(0, 9, "<s>"), Speech(10, 19, "HELLO"), Silence(20, 29, "++LAUGHTER++"), Speech(30, 39, "THERE")];

        // Act
        var map = SegmentFrameMapper.Map(segments, Base, frameCount: 50);

        // Assert
        Assert.Equal(["HELLO", "THERE"], map.Segments.Select(s => s.Label));
        Assert.Equal([new FrameRange(5, 9), new FrameRange(15, 19)], map.Ranges);
        Assert.Equal(2, map.SilenceDropped);
    }

    [Fact]
    public void Silence_is_pooled_like_speech_when_kept()
    {
        // Arrange
        AlignedSegment[] segments = [Silence(0, 9, "<s>"), Speech(10, 19, "HELLO")];

        // Act
        var map = SegmentFrameMapper.Map(segments, Base, frameCount: 50, keepSilence: true);

        // Assert
        Assert.Equal([new FrameRange(0, 4), new FrameRange(5, 9)], map.Ranges);
        Assert.Equal(0, map.SilenceDropped);
    }

    [Theory]
    [InlineData(10, 9, "Segment 1 ('AH') ends (frame 9) before it starts (frame 10)")]
    [InlineData(-1, 9, "Segment 1 ('AH') has a negative frame: [-1, 9]")]
    public void Bad_segments_throw_naming_their_index_and_label(int start, int end, string message)
    {
        // Arrange
        AlignedSegment[] segments = [Speech(0, 4, "B"), Speech(start, end)];

        // Act
        var error = Assert.Throws<ArgumentException>(() => SegmentFrameMapper.Map(segments, Base, frameCount: 50));

        // Assert
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_utterance_without_frames_is_rejected()
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => SegmentFrameMapper.Map([Speech(0, 4)], Base, frameCount: 0));

        // Assert
        Assert.Contains("0 encoder frames", error.Message, StringComparison.Ordinal);
    }
}
