using Orchestrator.Models.Encoders.Wav2Vec2;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.BuiltIn;

/// <summary>
/// The built-in speech encoder's weights: a wav2vec 2.0 checkpoint (base family, ordinary HF
/// layout) whose convolutional feature encoder computes log band energies and their deltas, set
/// by hand rather than learnt, and whose transformer layers are the identity. An untrained random
/// network loses the vocal cues (pitch, intonation, rate) that emotion changes; a fixed filter bank
/// keeps them, on every machine, in the time it takes to write 3 MB.
/// </summary>
/// <remarks>
/// <para>Every block of the base family's feature encoder is conv, GELU (GroupNorm over time after
/// the first conv). GELU is made to do two jobs with one identity: for a pair of channels
/// carrying +x and -x, GELU(x) - GELU(-x) = x exactly (a linear pass-through) and
/// GELU(x) + GELU(-x) = x erf(x / sqrt 2) (a smooth |x|, x^2 near 0: an energy detector).</para>
/// <list type="number">
/// <item>conv 0 (1 -> 2, kernel 1): +x, -x; its GroupNorm equals the preprocessor's per-utterance normalisation.</item>
/// <item>conv 1 (2 -> 64, kernel 400 = 25 ms, stride 20): 32 Gabor band-pass filters as +/- pairs
/// (12 geometrically spaced from 70 to 400 Hz, where the first harmonics of the voice move with
/// pitch; 20 mel-spaced from 100 to 7600 Hz for the spectral envelope), 800 outputs a second.</item>
/// <item>conv 2 (64 -> 64, kernel 32, stride 16): E = the Hann-weighted mean of each band's energy
/// over 40 ms, as +E, -E pairs, 50 frames a second (the hop of every wav2vec 2.0: 320 samples).</item>
/// <item>conv 3 (64 -> 448, kernel 1): hinges GELU(c (1 - E / t_k)) at 14 knots t_k spaced 6 dB
/// apart from 1e-6 up. Each hinge is bounded by c because E is not negative, so the next sum does
/// not cancel large terms in float32.</item>
/// <item>conv 4 (448 -> 128, kernel 3): log E (a piecewise-linear interpolation of ln through the
/// knots, floored at ln 1e-6) at the centre frame and its delta (next minus previous frame, halved),
/// as +/- pairs scaled by 1e-6: small enough that the feature projection's LayerNorm
/// (eps 1e-5) divides by a constant instead of the frame's spread.</item>
/// <item>feature projection: pair differences, scaled back: hidden = [log E of 32 bands, their 32 deltas].</item>
/// <item>positional convolution and both transformer layers' output projections are zero, so the
/// pre-LN layers pass the features through: hidden_states[1] equals them and hidden_states[2] is
/// their per-frame LayerNorm (more identity layers would only store more copies).</item>
/// </list>
/// <para>The resulting receptive field is 1660 samples (104 ms) at a hop of 320; frame timing is
/// derived from the conv config as for any checkpoint. Measured on the demo corpus (README): a
/// linear classifier on per-utterance means, deviations and mean absolute deltas of these features
/// gives 59 UA leave-one-session-out, against 44-48 for log-mel means and deviations.</para>
/// </remarks>
public static class BandEnergyFrontEnd
{
    private const int SampleRate = 16000;
    private const int FilterTaps = 400;
    private const int FilterStride = 20;
    private const int EnvelopeTaps = 32;
    private const int EnvelopeStride = 16;

    /// <summary>Filter gain on the normalised waveform: quiet bands stay in GELU's quadratic range, loud ones reach its linear one.</summary>
    private const double FilterGain = 10;

    private const int PitchBands = 12;
    private const int MelBands = 20;

    /// <summary>Bands of the filter bank: 12 pitch-region plus 20 mel bands.</summary>
    public const int Bands = PitchBands + MelBands;

    private const int Knots = 14;
    private const double FirstKnot = 1e-6;
    private const double KnotRatio = 4;

    /// <summary>Sharpness of a hinge: the knot's GELU bends over about a quarter of t_k.</summary>
    private const double HingeSharpness = 4;

    /// <summary>Scale of the last conv's output: keeps the feature projection's LayerNorm linear (variance far below its eps).</summary>
    private const double OutputScale = 1e-6;

    /// <summary>The checkpoint's geometry: base family (GroupNorm in the first block), two pre-LN transformer layers of width 2 x bands.</summary>
    public static Wav2Vec2Config Config { get; } = new()
    {
        HiddenSize = 2 * Bands,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        IntermediateSize = 256,
        FeatExtractNorm = "group",
        ConvDim = [2, 2 * Bands, 2 * Bands, Bands * Knots, 4 * Bands],
        ConvKernel = [1, FilterTaps, EnvelopeTaps, 1, 3],
        ConvStride = [1, FilterStride, EnvelopeStride, 1, 1],
        ConvBias = true,
        DoStableLayerNorm = true,
        NumConvPosEmbeddings = 32,
        NumConvPosEmbeddingGroups = 4,
    };

    /// <summary>
    /// Overwrites the feature encoder, feature projection, positional convolution and the layers'
    /// output projections of <paramref name="model"/> (built from <see cref="Config"/>); the other
    /// transformer weights keep whatever they hold, as the zero output projections mute them.
    /// Computed in double and rounded once to float32, so every machine writes the same bytes.
    /// </summary>
    public static void Apply(Wav2Vec2Model model)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        void Set(string name, double[] values)
        {
            var parameter = parameters[name];
            if (values.Length != parameter.numel())
                throw new InvalidOperationException($"{name}: {values.Length} values for a tensor of {parameter.numel()}.");
            using var value = tensor(values.Select(v => (float)v).ToArray(), parameter.shape);
            parameter.copy_(value);
        }
        void Zero(string name)
        {
            using var _ = parameters[name].zero_();
        }

        const string conv = "feature_extractor.conv_layers";
        Set($"{conv}.0.conv.weight", [1, -1]);
        Set($"{conv}.0.conv.bias", [0, 0]);
        Set($"{conv}.0.layer_norm.weight", [1, 1]);
        Set($"{conv}.0.layer_norm.bias", [0, 0]);

        Set($"{conv}.1.conv.weight", FilterBankWeights());
        Zero($"{conv}.1.conv.bias");

        Set($"{conv}.2.conv.weight", EnvelopeWeights());
        Zero($"{conv}.2.conv.bias");

        var (hingeWeights, hingeBias) = HingeWeights();
        Set($"{conv}.3.conv.weight", hingeWeights);
        Set($"{conv}.3.conv.bias", hingeBias);

        var (logWeights, logBias) = LogAndDeltaWeights();
        Set($"{conv}.4.conv.weight", logWeights);
        Set($"{conv}.4.conv.bias", logBias);

        Set("feature_projection.layer_norm.weight", Enumerable.Repeat(1.0, 4 * Bands).ToArray());
        Zero("feature_projection.layer_norm.bias");
        Set("feature_projection.projection.weight", ProjectionWeights(Config.LayerNormEps));
        Zero("feature_projection.projection.bias");

        Zero("encoder.pos_conv_embed.conv.weight_g");
        Zero("encoder.pos_conv_embed.conv.bias");
        for (var layer = 0; layer < Config.NumHiddenLayers; layer++)
        {
            Zero($"encoder.layers.{layer}.attention.out_proj.weight");
            Zero($"encoder.layers.{layer}.attention.out_proj.bias");
            Zero($"encoder.layers.{layer}.feed_forward.output_dense.weight");
            Zero($"encoder.layers.{layer}.feed_forward.output_dense.bias");
        }
    }

    /// <summary>Centre frequency and -3 dB bandwidth (Hz) of each band: 12 pitch-region bands, then 20 mel bands.</summary>
    public static IReadOnlyList<(double Centre, double Bandwidth)> BandLayout()
    {
        var bands = new List<(double, double)>();
        // The longest Gaussian window the 400-tap kernel holds (+-3 sigma) sets the pitch bands' width (about 90 Hz).
        var longest = FilterTaps / (6.0 * SampleRate);
        for (var i = 0; i < PitchBands; i++)
            bands.Add((70 * Math.Pow(400.0 / 70, i / (PitchBands - 1.0)), GaussianBandwidth(longest)));
        static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);
        static double Hz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
        var points = Enumerable.Range(0, MelBands + 2).Select(i => Hz(Mel(100) + (Mel(7600) - Mel(100)) * i / (MelBands + 1))).ToArray();
        for (var i = 0; i < MelBands; i++)
            bands.Add((points[i + 1], Math.Max((points[i + 2] - points[i]) / 2, GaussianBandwidth(longest))));
        return bands;
    }

    /// <summary>Full width at half maximum (Hz) of a Gaussian window of deviation <paramref name="sigmaSeconds"/>.</summary>
    private static double GaussianBandwidth(double sigmaSeconds) => 2 * Math.Sqrt(2 * Math.Log(2)) / (2 * Math.PI * sigmaSeconds);

    /// <summary>(64, 2, 400): Gabor filters of unit gain at their centre, times the gain, reading the (+x, -x) pair.</summary>
    private static double[] FilterBankWeights()
    {
        var weights = new double[2 * Bands * 2 * FilterTaps];
        var layout = BandLayout();
        for (var band = 0; band < Bands; band++)
        {
            var (centre, bandwidth) = layout[band];
            var sigma = 2 * Math.Sqrt(2 * Math.Log(2)) / (2 * Math.PI * bandwidth);
            var filter = new double[FilterTaps];
            double re = 0, im = 0;
            for (var n = 0; n < FilterTaps; n++)
            {
                var t = (n - (FilterTaps - 1) / 2.0) / SampleRate;
                filter[n] = Math.Exp(-t * t / (2 * sigma * sigma)) * Math.Cos(2 * Math.PI * centre * t);
                re += filter[n] * Math.Cos(2 * Math.PI * centre * t);
                im += filter[n] * Math.Sin(2 * Math.PI * centre * t);
            }
            var gain = FilterGain / Math.Sqrt(re * re + im * im);
            for (var sign = 0; sign < 2; sign++)                                   // output channel 2 band + sign: (+y, -y)
                for (var input = 0; input < 2; input++)                            // input channels: GELU(x), GELU(-x); x = difference
                    for (var n = 0; n < FilterTaps; n++)
                        weights[(((2 * band + sign) * 2) + input) * FilterTaps + n] = (sign == 0 ? 1 : -1) * (input == 0 ? 1 : -1) * gain * filter[n];
        }
        return weights;
    }

    /// <summary>(64, 64, 32): E = Hann-weighted mean of GELU(y) + GELU(-y) per band, as (+E, -E).</summary>
    private static double[] EnvelopeWeights()
    {
        var hann = Enumerable.Range(0, EnvelopeTaps).Select(k => Math.Pow(Math.Sin(Math.PI * (k + 1) / (EnvelopeTaps + 1)), 2)).ToArray();
        var sum = hann.Sum();
        var weights = new double[2 * Bands * 2 * Bands * EnvelopeTaps];
        for (var band = 0; band < Bands; band++)
            for (var sign = 0; sign < 2; sign++)
                for (var input = 0; input < 2; input++)
                    for (var k = 0; k < EnvelopeTaps; k++)
                        weights[((2 * band + sign) * 2 * Bands + 2 * band + input) * EnvelopeTaps + k] = (sign == 0 ? 1 : -1) * hann[k] / sum;
        return weights;
    }

    private static double Knot(int k) => FirstKnot * Math.Pow(KnotRatio, k);

    /// <summary>(448, 64, 1) and bias: channel band x 14 + k = c (1 - E / t_k), E read as GELU(E) - GELU(-E).</summary>
    private static (double[] Weights, double[] Bias) HingeWeights()
    {
        var weights = new double[Bands * Knots * 2 * Bands];
        var bias = new double[Bands * Knots];
        for (var band = 0; band < Bands; band++)
            for (var k = 0; k < Knots; k++)
            {
                var channel = band * Knots + k;
                weights[channel * 2 * Bands + 2 * band] = -HingeSharpness / Knot(k);
                weights[channel * 2 * Bands + 2 * band + 1] = HingeSharpness / Knot(k);
                bias[channel] = HingeSharpness;
            }
        return (weights, bias);
    }

    /// <summary>
    /// Coefficients g_k of ln E ~ ln t_13 + sum_k g_k GELU(c (1 - E / t_k)): with hinges that are
    /// zero above their knot, the slope on (t_(k-1), t_k) is -sum over j >= k of g_j c / t_j, which
    /// must equal the chord slope of ln there (0 below t_0 and above t_13).
    /// </summary>
    public static double[] LogCoefficients()
    {
        var slope = new double[Knots + 1];                                          // slope[k]: on (t_(k-1), t_k); slope[0] = slope[14] = 0
        for (var k = 1; k < Knots; k++) slope[k] = Math.Log(KnotRatio) / (Knot(k) - Knot(k - 1));
        return Enumerable.Range(0, Knots).Select(k => Knot(k) * (slope[k + 1] - slope[k]) / HingeSharpness).ToArray();
    }

    /// <summary>(128, 448, 3) and bias: channel 2 j + sign = +-1e-6 feature j; features 0-31 log E at the centre tap, 32-63 the half difference of taps 2 and 0.</summary>
    private static (double[] Weights, double[] Bias) LogAndDeltaWeights()
    {
        var g = LogCoefficients();
        var top = Math.Log(Knot(Knots - 1));
        var inputs = Bands * Knots;
        var weights = new double[4 * Bands * inputs * 3];
        var bias = new double[4 * Bands];
        for (var feature = 0; feature < 2 * Bands; feature++)
        {
            var band = feature % Bands;
            var delta = feature >= Bands;
            for (var sign = 0; sign < 2; sign++)
            {
                var scale = (sign == 0 ? 1 : -1) * OutputScale;
                var channel = 2 * feature + sign;
                for (var k = 0; k < Knots; k++)
                {
                    var at = (channel * inputs + band * Knots + k) * 3;
                    if (delta)
                    {
                        weights[at + 2] = scale * g[k] / 2;
                        weights[at] = -scale * g[k] / 2;
                    }
                    else weights[at + 1] = scale * g[k];
                }
                bias[channel] = delta ? 0 : scale * top;
            }
        }
        return (weights, bias);
    }

    /// <summary>(64, 128): feature j = (v_2j - v_2j+1) sqrt(eps) / 1e-6, undoing the output scale through the LayerNorm's constant divisor.</summary>
    private static double[] ProjectionWeights(double layerNormEps)
    {
        var weights = new double[2 * Bands * 4 * Bands];
        var scale = Math.Sqrt(layerNormEps) / OutputScale;
        for (var feature = 0; feature < 2 * Bands; feature++)
        {
            weights[feature * 4 * Bands + 2 * feature] = scale;
            weights[feature * 4 * Bands + 2 * feature + 1] = -scale;
        }
        return weights;
    }
}
