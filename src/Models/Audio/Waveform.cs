namespace Orchestrator.Models.Audio;

/// <summary>Mono audio as floats, with the format of the file it was read from.</summary>
/// <param name="Samples">
/// Mono samples. Integer PCM lands in [-1, 1) (divided by 2^(bits-1), as torchaudio and libsndfile do);
/// IEEE float is passed through as stored, since clipping a float file that exceeds [-1, 1] would distort it.
/// </param>
/// <param name="SampleRate">Samples per second of <see cref="Samples"/>, after any resampling.</param>
/// <param name="Source">The file's own format: encoding, bit depth, channels and rate before downmix and resampling.</param>
public sealed record Waveform(float[] Samples, int SampleRate, WavFormat Source)
{
    /// <summary>Length in time at <see cref="SampleRate"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
