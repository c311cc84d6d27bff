namespace Orchestrator.Models.Tests.Audio;

/// <summary>Sine tones and their measurement, for checking what a resampler keeps and removes.</summary>
internal static class Tone
{
    public static float[] Sine(double frequency, int sampleRate, int length, double amplitude = 0.5) =>
        Enumerable.Range(0, length).Select(n => (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate))).ToArray();

    /// <summary>
    /// Amplitude of <paramref name="frequency"/> in <paramref name="samples"/> by a single DFT bin;
    /// exact for tones that complete whole cycles over the samples.
    /// </summary>
    public static double Amplitude(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        double re = 0, im = 0;
        for (var n = 0; n < samples.Length; n++)
        {
            var phase = 2 * Math.PI * frequency * n / sampleRate;
            re += samples[n] * Math.Cos(phase);
            im -= samples[n] * Math.Sin(phase);
        }
        return 2 * Math.Sqrt(re * re + im * im) / samples.Length;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>The middle of a signal, without the filter's edge transients at either end.</summary>
    public static ReadOnlySpan<float> Interior(float[] samples, int sampleRate, double marginSeconds = 0.05)
    {
        var margin = (int)(marginSeconds * sampleRate);
        return samples.AsSpan(margin, samples.Length - 2 * margin);
    }
}
