using Orchestrator.Models.Encoders.Wav2Vec2;

namespace Orchestrator.Models.Features;

/// <summary>
/// Where the speech encoder's output frames sit in time, so aligned segments can be mapped onto them
/// (method.md section 3). Frame f sees the samples [hop f, hop f + receptive field); its centre is
/// c_f = (hop f + receptive_field / 2) / sample_rate seconds (wav2vec2: 0.02 f + 0.0125 s).
/// </summary>
/// <remarks>
/// The centre is kept in exact integer units: 2 c_f sample_rate = 2 hop f + receptive_field
/// (<see cref="TwiceCentreSample"/>), so deciding whether a centre lies in a 10 ms span never
/// depends on floating-point rounding at the boundary.
/// </remarks>
public sealed record FrameTiming
{
    /// <summary>Times frames from the encoder's conv geometry.</summary>
    /// <param name="hopSamples">Samples between two output frames (320 for wav2vec2).</param>
    /// <param name="receptiveFieldSamples">Samples one frame sees (400 for wav2vec2).</param>
    /// <param name="sampleRate">The rate of the encoder's input waveform, Hz (16000).</param>
    public FrameTiming(int hopSamples, int receptiveFieldSamples, int sampleRate)
    {
        if (hopSamples <= 0) throw new ArgumentOutOfRangeException(nameof(hopSamples), hopSamples, "The hop must be a positive number of samples.");
        if (receptiveFieldSamples <= 0)
            throw new ArgumentOutOfRangeException(nameof(receptiveFieldSamples), receptiveFieldSamples, "The receptive field must be a positive number of samples.");
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be positive.");
        HopSamples = hopSamples;
        ReceptiveFieldSamples = receptiveFieldSamples;
        SampleRate = sampleRate;
    }

    /// <summary>Every released wav2vec 2.0 checkpoint: hop 320, receptive field 400, 16 kHz (c_f = 0.02 f + 0.0125 s).</summary>
    public static FrameTiming Wav2Vec2Base { get; } = new(320, 400, 16000);

    /// <summary>Samples between two output frames.</summary>
    public int HopSamples { get; }

    /// <summary>Samples one output frame sees.</summary>
    public int ReceptiveFieldSamples { get; }

    /// <summary>Samples per second of the encoder's input.</summary>
    public int SampleRate { get; }

    /// <summary>
    /// The timing of a wav2vec 2.0 checkpoint: hop and receptive field derived from its conv stack,
    /// <paramref name="samplingRate"/> from its <c>preprocessor_config.json</c> (<see cref="Wav2Vec2FeatureExtractor.SamplingRate"/>).
    /// </summary>
    public static FrameTiming From(Wav2Vec2Config config, int samplingRate)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new FrameTiming(config.HopSamples, config.ReceptiveFieldSamples, samplingRate);
    }

    /// <summary>Centre of frame <paramref name="frame"/> in seconds: (hop f + receptive_field / 2) / sample_rate.</summary>
    public double CentreSeconds(int frame) => TwiceCentreSample(frame) / (2.0 * SampleRate);

    /// <summary>Twice the centre of frame <paramref name="frame"/> in samples, exactly: 2 hop f + receptive_field.</summary>
    public long TwiceCentreSample(long frame) => 2L * HopSamples * frame + ReceptiveFieldSamples;
}
