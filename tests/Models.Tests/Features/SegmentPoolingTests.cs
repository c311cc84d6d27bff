using Orchestrator.Models.Features;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features;

public sealed class SegmentPoolingTests
{
    /// <summary>(2, 4, 3) frames with value 100 l + 10 t + h: a range's mean is easy to work out by hand.</summary>
    private static Tensor Frames()
    {
        var values = new float[2 * 4 * 3];
        for (var l = 0; l < 2; l++)
            for (var t = 0; t < 4; t++)
                for (var h = 0; h < 3; h++)
                    values[(l * 4 + t) * 3 + h] = 100 * l + 10 * t + h;
        return tensor(values, [2, 4, 3]);
    }

    [Fact]
    public void Pools_the_mean_of_the_frames_each_range_covers_per_layer()
    {
        // Arrange: [0, 2] averages t = 0, 1, 2 (10 t mean 10); [3, 3] is t = 3 alone; [1, 2] averages 10 and 20.
        using var frames = Frames();
        FrameRange[] ranges = [new(0, 2), new(3, 3), new(1, 2)];

        // Act
        using var pooled = SegmentPooling.Pool(frames, ranges);

        // Assert
        Assert.Equal([2L, 3, 3], pooled.shape);
        float[] expected =
        [
            10, 11, 12, 30, 31, 32, 15, 16, 17,          // layer 0
            110, 111, 112, 130, 131, 132, 115, 116, 117, // layer 1
        ];
        var actual = pooled.data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void Divides_by_the_frames_pooled_not_by_end_minus_start()
    {
        // Arrange: the paper's e - s divisor would give 2 x and infinity here.
        using var frames = Frames();

        // Act
        using var pooled = SegmentPooling.Pool(frames, [new FrameRange(0, 1), new FrameRange(2, 2)]);

        // Assert
        Assert.Equal(5f, pooled[0, 0, 0].item<float>(), 4);
        Assert.Equal(20f, pooled[0, 1, 0].item<float>(), 4);
    }

    [Fact]
    public void Ranges_round_trip_through_the_stored_int64_tensor()
    {
        // Arrange
        FrameRange[] ranges = [new(0, 2), new(3, 3)];

        // Act
        using var stored = SegmentPooling.ToTensor(ranges);
        var back = SegmentPooling.FromTensor(stored);

        // Assert
        Assert.Equal(ScalarType.Int64, stored.dtype);
        Assert.Equal([2L, 2], stored.shape);
        Assert.Equal([0L, 2, 3, 3], stored.data<long>().ToArray());
        Assert.Equal(ranges, back);
    }

    [Fact]
    public void Pooling_from_stored_ranges_equals_pooling_from_the_list()
    {
        // Arrange
        using var frames = Frames();
        FrameRange[] ranges = [new(1, 3), new(0, 0)];
        using var stored = SegmentPooling.ToTensor(ranges);

        // Act
        using var fromList = SegmentPooling.Pool(frames, ranges);
        using var fromTensor = SegmentPooling.Pool(frames, stored);

        // Assert
        Assert.Equal(fromList.data<float>().ToArray(), fromTensor.data<float>().ToArray());
    }

    [Fact]
    public void A_range_outside_the_frames_is_rejected()
    {
        // Arrange
        using var frames = Frames();

        // Act
        var error = Assert.Throws<ArgumentException>(() => SegmentPooling.Pool(frames, [new FrameRange(0, 1), new FrameRange(2, 4)]));

        // Assert
        Assert.StartsWith("Range 1 [2, 4] is not a non-empty range of the 4 frames", error.Message, StringComparison.Ordinal);
    }
}
