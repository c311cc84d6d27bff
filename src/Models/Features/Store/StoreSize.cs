namespace Orchestrator.Models.Features.Store;

/// <summary>How large a store gets: elements per second (<see cref="StreamRates"/>) times layers times width times dtype size.</summary>
public static class StoreSize
{
    /// <summary>Bytes a store needs for <paramref name="hours"/> of audio with the given layers, widths and dtype.</summary>
    public static StoreSizeEstimate Estimate(double hours, int speechLayers, int textLayers, int speechWidth, int textWidth,
        StoreDType dtype, StreamRates? rates = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        rates ??= new StreamRates();
        var seconds = hours * 3600;
        var streams = StreamKinds.All.ToDictionary(k => k, k =>
        {
            var (layers, width) = k.IsSpeech() ? (speechLayers, speechWidth) : (textLayers, textWidth);
            return (long)Math.Round(rates.PerSecond(k) * seconds * layers * width * dtype.ElementSize());
        });
        var segments = StreamKinds.Segmental.Sum(k => rates.PerSecond(k) * seconds);
        return new StoreSizeEstimate(hours, streams, (long)Math.Round(segments * 2 * sizeof(long)));
    }

    /// <summary><c>33.5 GB</c>: bytes in GB (10^9).</summary>
    public static string Gigabytes(long bytes) => $"{bytes / 1e9:0.0} GB";
}
