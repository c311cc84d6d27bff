using System.Numerics;
using System.Runtime.InteropServices;

namespace Orchestrator.Models.Audio;

/// <summary>
/// A polyphase Kaiser-windowed-sinc low-pass filter from one sample rate to another: torchaudio's
/// <c>_get_sinc_resample_kernel</c>, with each phase cut to the taps its window does not zero.
/// </summary>
/// <remarks>
/// With the rates reduced by their gcd to <c>from</c> and <c>to</c>, output j lies at input time
/// j·from/to; its fractional part takes one of <c>to</c> values, so <c>to</c> phases of 2·width taps
/// each are built once. A tap at distance d input samples from the output time weighs
/// sinc(π·d·c)·kaiser(d·c/L)·c with c = min(from, to)·rolloff / from, the cutoff in cycles per
/// half input sample.
/// </remarks>
internal sealed class KaiserSincFilter
{
    private readonly int _from;
    private readonly int _to;
    private readonly int _taps;
    private readonly int[] _firstTap; // per phase: first input index relative to k·from
    private readonly float[] _weights; // (to, taps), row-major

    public KaiserSincFilter(int fromRate, int toRate, int lowpassFilterWidth, double rolloff, double beta)
    {
        var gcd = (int)BigInteger.GreatestCommonDivisor(fromRate, toRate);
        (_from, _to) = (fromRate / gcd, toRate / gcd);
        var cutoff = Math.Min(_from, _to) * rolloff;
        // Taps beyond `width` input samples from the output time fall past L zero crossings.
        var width = (int)Math.Ceiling(lowpassFilterWidth * _from / cutoff);
        _taps = 2 * width;
        _firstTap = new int[_to];
        _weights = new float[_to * _taps];
        var windowScale = 1 / BesselI0(beta);
        for (var phase = 0; phase < _to; phase++)
        {
            _firstTap[phase] = (int)((long)phase * _from / _to) - width + 1;
            for (var tap = 0; tap < _taps; tap++)
            {
                // Distance from the output time, in zero crossings of the sinc: t = d·cutoff/from.
                var distance = ((long)(_firstTap[phase] + tap) * _to - (long)phase * _from) / (double)_to;
                var t = Math.Clamp(distance * cutoff / _from, -lowpassFilterWidth, lowpassFilterWidth);
                var ratio = t / lowpassFilterWidth;
                var window = BesselI0(beta * Math.Sqrt(1 - ratio * ratio)) * windowScale;
                var sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
                _weights[phase * _taps + tap] = (float)(sinc * window * cutoff / _from);
            }
        }
    }

    public float[] Apply(float[] input)
    {
        var output = new float[Resampler.OutputLength(input.Length, _from, _to)];
        for (var j = 0; j < output.Length; j++)
        {
            var phase = j % _to;
            var start = (int)((long)(j / _to) * _from) + _firstTap[phase];
            var weights = _weights.AsSpan(phase * _taps, _taps);
            // Near the edges only the taps over real input count: zeros lie outside it.
            var first = Math.Max(start, 0);
            var end = Math.Min(start + _taps, input.Length);
            output[j] = first < end ? Dot(input.AsSpan(first, end - first), weights[(first - start)..(end - start)]) : 0f;
        }
        return output;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var vectorsA = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vectorsB = MemoryMarshal.Cast<float, Vector<float>>(b);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < vectorsA.Length; i++) sum += vectorsA[i] * vectorsB[i];
        var total = Vector.Sum(sum);
        for (var i = vectorsA.Length * Vector<float>.Count; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series (converges fast for x &lt; 50).</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, quarterSquare = x * x / 4;
        for (var k = 1; term > sum * 1e-17; k++)
        {
            term *= quarterSquare / ((double)k * k);
            sum += term;
        }
        return sum;
    }
}
