namespace Orchestrator.Models.Synthesis;

/// <summary>Speech levels in dB relative to full scale.</summary>
public static class LevelMeter
{
    private const int FrameLength = 160; // 10 ms at 16 kHz

    /// <summary>RMS of the whole signal, in dBFS.</summary>
    public static double RmsDb(ReadOnlySpan<float> samples)
    {
        double energy = 0;
        foreach (var s in samples) energy += (double)s * s;
        return 10 * Math.Log10(energy / Math.Max(1, samples.Length) + 1e-20);
    }

    /// <summary>
    /// RMS over the 10 ms frames within 40 dB of the loudest, in dBFS: the level of the speech itself,
    /// which pauses do not dilute. Voices and rates differ in how much silence they produce, so levels
    /// are set on this measure.
    /// </summary>
    public static double ActiveDb(ReadOnlySpan<float> samples)
    {
        var frames = new List<double>();
        for (var start = 0; start + FrameLength <= samples.Length; start += FrameLength)
        {
            double energy = 0;
            foreach (var s in samples.Slice(start, FrameLength)) energy += (double)s * s;
            frames.Add(energy / FrameLength);
        }
        if (frames.Count == 0) return RmsDb(samples);
        var threshold = frames.Max() * 1e-4;
        return 10 * Math.Log10(frames.Where(e => e >= threshold).Average() + 1e-20);
    }
}
