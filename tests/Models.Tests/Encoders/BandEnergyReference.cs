using Orchestrator.Models.Encoders.BuiltIn;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>
/// The built-in speech encoder's features computed directly in double, the way a signal-processing
/// textbook writes them (Gabor filter, energy, Hann-smoothed envelope, natural log), to check the
/// network's conv/GELU construction against. Shares only the band layout with the encoder.
/// </summary>
internal static class BandEnergyReference
{
    /// <summary>(frames, 32) ln of each band's energy, floored at 1e-6 and capped at the top knot (1e-6 x 4^13), one row per encoder frame.</summary>
    public static double[,] LogEnergies(float[] normalized)
    {
        var layout = BandEnergyFrontEnd.BandLayout();
        var outputs = (normalized.Length - 400) / 20 + 1;                     // filter outputs at 800 Hz
        var envelopes = (outputs - 32) / 16 + 1;                              // envelope frames at 50 Hz
        var frames = envelopes - 2;                                           // the delta needs a frame either side
        var hann = Enumerable.Range(0, 32).Select(k => Math.Pow(Math.Sin(Math.PI * (k + 1) / 33), 2)).ToArray();
        var hannSum = hann.Sum();
        var result = new double[frames, layout.Count];
        for (var b = 0; b < layout.Count; b++)
        {
            var (centre, bandwidth) = layout[b];
            var sigma = Math.Sqrt(8 * Math.Log(2)) / (2 * Math.PI * bandwidth);
            var filter = new double[400];
            for (var n = 0; n < 400; n++)
            {
                var t = (n - 199.5) / 16000;
                filter[n] = Math.Exp(-t * t / (2 * sigma * sigma)) * Math.Cos(2 * Math.PI * centre * t);
            }
            var response = System.Numerics.Complex.Abs(Enumerable.Range(0, 400).Aggregate(System.Numerics.Complex.Zero,
                (sum, n) => sum + filter[n] * System.Numerics.Complex.FromPolarCoordinates(1, -2 * Math.PI * centre * (n - 199.5) / 16000)));
            var energy = new double[outputs];
            for (var i = 0; i < outputs; i++)
            {
                var y = 0.0;
                for (var n = 0; n < 400; n++) y += filter[n] * normalized[20 * i + n];
                y *= 10 / response;
                energy[i] = y * Erf(y / Math.Sqrt(2));                          // GELU(y) + GELU(-y)
            }
            for (var f = 0; f < frames; f++)
            {
                var e = 0.0;
                for (var k = 0; k < 32; k++) e += hann[k] * energy[16 * (f + 1) + k];
                result[f, b] = Math.Log(Math.Clamp(e / hannSum, 1e-6, 1e-6 * Math.Pow(4, 13)));
            }
        }
        return result;
    }

    /// <summary>erf to 1.2e-7 (Numerical Recipes' erfc with Chebyshev fit): .NET has none.</summary>
    private static double Erf(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
