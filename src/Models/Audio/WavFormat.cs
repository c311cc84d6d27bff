namespace Orchestrator.Models.Audio;

/// <summary>The format a WAV file stored its samples in, kept for reporting once they are mono floats.</summary>
/// <param name="Encoding">Integer PCM or IEEE float.</param>
/// <param name="BitsPerSample">Size of one channel's sample in the file: 8, 16, 24, 32 or 64.</param>
/// <param name="Channels">Interleaved channels in the file, before the downmix to mono.</param>
/// <param name="SampleRate">Frames per second in the file, before any resampling.</param>
/// <param name="Extensible">Whether the fmt chunk was WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a sub-format GUID.</param>
public sealed record WavFormat(WavEncoding Encoding, int BitsPerSample, int Channels, int SampleRate, bool Extensible)
{
    /// <summary>For reports, e.g. "PCM 16-bit, 2 ch, 44100 Hz".</summary>
    public override string ToString() =>
        $"{(Encoding == WavEncoding.Pcm ? "PCM" : "IEEE float")} {BitsPerSample}-bit, {Channels} ch, {SampleRate} Hz" +
        (Extensible ? " (extensible)" : "");
}
