using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;

namespace Orchestrator.Models.Tests.Features.Store;

public sealed class StoreSizeTests
{
    [Fact]
    public void The_frame_stream_of_an_hour_is_frames_times_layers_times_width_times_two_bytes_in_float16()
    {
        var estimate = StoreSize.Estimate(1, 12, 12, 768, 768, StoreDType.Float16);

        Assert.Equal(50L * 3600 * 12 * 768 * 2, estimate.StreamBytes[StreamKind.Frame]);
        Assert.Equal((long)Math.Round(2.7 * 1.3 * 3600 * 12 * 768 * 2), estimate.StreamBytes[StreamKind.Text]);
        Assert.Equal((long)Math.Round((12 + 4 + 2.7) * 3600 * 16), estimate.SegmentFrameBytes);
    }

    [Fact]
    public void Iemocap_with_base_encoders_needs_about_34_GB_in_float16_and_twice_that_in_float32()
    {
        var f16 = StoreSize.Estimate(7, 12, 12, 768, 768, StoreDType.Float16);
        var f32 = StoreSize.Estimate(7, 12, 12, 768, 768, StoreDType.Float32);
        var f16With0 = StoreSize.Estimate(7, 13, 13, 768, 768, StoreDType.Float16);

        Assert.InRange(f16.TotalBytes / 1e9, 33, 34);
        Assert.InRange(f32.TotalBytes / (double)f16.TotalBytes, 1.99, 2.0);
        Assert.InRange(f16With0.TotalBytes / 1e9, 36, 37);
    }
}
