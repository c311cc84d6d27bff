using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// The waveform preprocessing a checkpoint's <c>preprocessor_config.json</c> asks for (HF
/// <c>Wav2Vec2FeatureExtractor</c>, one utterance, no padding): check the sampling rate, then, if
/// <c>do_normalize</c>, zero mean and unit variance: (x - mean) / sqrt(var + 1e-7), population variance.
/// </summary>
public sealed record Wav2Vec2FeatureExtractor(int SamplingRate, bool DoNormalize)
{
    /// <summary>HF's defaults (wav2vec2-base): 16 kHz, normalised.</summary>
    public static Wav2Vec2FeatureExtractor Default { get; } = new(16000, true);

    /// <summary>Reads <c>preprocessor_config.json</c>.</summary>
    public static Wav2Vec2FeatureExtractor Load(string path)
    {
        var json = JsonConfig.Load(path);
        var type = json.String("feature_extractor_type", "Wav2Vec2FeatureExtractor");
        if (type != "Wav2Vec2FeatureExtractor")
            throw new CheckpointException($"{path}: feature_extractor_type '{type}' is not Wav2Vec2FeatureExtractor.");
        var featureSize = json.Int("feature_size", 1);
        if (featureSize != 1) throw new CheckpointException($"{path}: feature_size {featureSize} is not 1 (mono waveform).");
        var rate = json.Int("sampling_rate", Default.SamplingRate);
        if (rate <= 0) throw new CheckpointException($"{path}: sampling_rate {rate} must be positive.");
        return new Wav2Vec2FeatureExtractor(rate, json.Bool("do_normalize", Default.DoNormalize));
    }

    /// <summary>Reads the folder's <c>preprocessor_config.json</c>, or returns <see cref="Default"/> when it has none.</summary>
    public static Wav2Vec2FeatureExtractor LoadOrDefault(string folder)
    {
        var path = Path.Combine(folder, "preprocessor_config.json");
        return File.Exists(path) ? Load(path) : Default;
    }

    /// <summary>The model input for one mono utterance sampled at <paramref name="sampleRate"/> Hz.</summary>
    public float[] Process(ReadOnlySpan<float> samples, int sampleRate)
    {
        if (sampleRate != SamplingRate)
            throw new ArgumentException($"The audio is sampled at {sampleRate} Hz but the checkpoint expects {SamplingRate} Hz; resample first.", nameof(sampleRate));
        if (samples.Length == 0) throw new ArgumentException("The waveform is empty.", nameof(samples));
        var output = samples.ToArray();
        if (!DoNormalize) return output;

        double sum = 0;
        foreach (var x in samples) sum += x;
        var mean = sum / samples.Length;
        double squares = 0;
        foreach (var x in samples) squares += (x - mean) * (x - mean);
        var scale = 1.0 / Math.Sqrt(squares / samples.Length + 1e-7);         // population variance
        for (var i = 0; i < output.Length; i++) output[i] = (float)((samples[i] - mean) * scale);
        return output;
    }
}
