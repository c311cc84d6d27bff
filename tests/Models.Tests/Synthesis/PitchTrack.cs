namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>A plain autocorrelation pitch tracker, enough to compare F0 between renditions of one text.</summary>
internal static class PitchTrack
{
    /// <summary>F0 in Hz of each clearly voiced 40 ms frame (hop 10 ms), searched between 60 and 400 Hz.</summary>
    public static List<double> Voiced(float[] samples, int sampleRate)
    {
        int length = sampleRate / 25, hop = sampleRate / 100, minLag = sampleRate / 400, maxLag = sampleRate / 60;
        var energies = new List<double>();
        for (var start = 0; start + length + maxLag <= samples.Length; start += hop) energies.Add(Energy(samples, start, length));
        var floor = energies.DefaultIfEmpty(0).Max() * 0.05;
        var f0 = new List<double>();
        for (var frame = 0; frame < energies.Count; frame++)
        {
            var start = frame * hop;
            if (energies[frame] < floor) continue;
            var (best, bestLag) = (0.0, 0);
            for (var lag = minLag; lag <= maxLag; lag++)
            {
                double r = 0;
                for (var i = 0; i < length; i++) r += samples[start + i] * samples[start + i + lag];
                r /= Math.Sqrt(energies[frame] * Energy(samples, start + lag, length)) + 1e-12;
                if (r > best) (best, bestLag) = (r, lag);
            }
            if (best > 0.7) f0.Add(sampleRate / (double)bestLag);
        }
        return f0;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static double Energy(float[] samples, int start, int length)
    {
        double e = 0;
        for (var i = 0; i < length; i++) e += samples[start + i] * samples[start + i];
        return e;
    }
}
