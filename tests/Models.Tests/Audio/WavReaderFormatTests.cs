using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Tests.Audio;

public sealed class WavReaderFormatTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Pcm8_is_unsigned_with_128_as_silence()
    {
        var path = _folder.Write("u8.wav", WavBytes.Simple(1, 1, 8000, 8, [0, 64, 128, 160, 255]));

        var wave = WavReader.Read(path);

        Assert.Equal([-1f, -0.5f, 0f, 0.25f, 127 / 128f], wave.Samples);
    }

    [Fact]
    public void Pcm16_is_divided_by_32768()
    {
        var path = _folder.Write("s16.wav", WavBytes.Simple(1, 1, 16000, 16, WavBytes.Int16(-32768, -16384, 0, 8192, 32767)));

        var wave = WavReader.Read(path);

        Assert.Equal([-1f, -0.5f, 0f, 0.25f, 32767 / 32768f], wave.Samples);
    }

    [Fact]
    public void Pcm24_is_sign_extended_and_divided_by_2_to_the_23()
    {
        var path = _folder.Write("s24.wav", WavBytes.Simple(1, 1, 48000, 24, WavBytes.Int24(-8388608, -4194304, 0, 2097152, 8388607, -1)));

        var wave = WavReader.Read(path);

        Assert.Equal([-1f, -0.5f, 0f, 0.25f, 8388607 / 8388608f, -1 / 8388608f], wave.Samples);
    }

    [Fact]
    public void Pcm32_is_divided_by_2_to_the_31()
    {
        var path = _folder.Write("s32.wav", WavBytes.Simple(1, 1, 44100, 32, WavBytes.Int32(int.MinValue, -1 << 30, 0, 1 << 29, int.MaxValue)));

        var wave = WavReader.Read(path);

        Assert.Equal([-1f, -0.5f, 0f, 0.25f, 1f], wave.Samples); // int.MaxValue / 2^31 rounds to 1f
    }

    [Fact]
    public void Float32_is_passed_through_as_stored()
    {
        var path = _folder.Write("f32.wav", WavBytes.Simple(3, 1, 22050, 32, WavBytes.Float32(-1f, 0.123456f, 0f, 1.5f)));

        var wave = WavReader.Read(path);

        Assert.Equal([-1f, 0.123456f, 0f, 1.5f], wave.Samples);
        Assert.Equal(new WavFormat(WavEncoding.IeeeFloat, 32, 1, 22050, Extensible: false), wave.Source);
    }

    [Fact]
    public void Float64_is_narrowed_to_float()
    {
        var path = _folder.Write("f64.wav", WavBytes.Simple(3, 1, 96000, 64, WavBytes.Float64(-0.75, 0.1, 1e-9)));

        var wave = WavReader.Read(path);

        Assert.Equal([-0.75f, 0.1f, 1e-9f], wave.Samples);
        Assert.Equal(96000, wave.SampleRate);
    }

    [Fact]
    public void Extensible_pcm_is_read_by_its_sub_format()
    {
        var file = WavBytes.Riff(WavBytes.FmtExtensible(WavBytes.PcmSubFormat, 1, 48000, 24, validBits: 24), WavBytes.Data(WavBytes.Int24(4194304, -2097152)));
        var path = _folder.Write("ext24.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal([0.5f, -0.25f], wave.Samples);
        Assert.Equal(new WavFormat(WavEncoding.Pcm, 24, 1, 48000, Extensible: true), wave.Source);
    }

    [Fact]
    public void Extensible_float_is_read_by_its_sub_format()
    {
        var file = WavBytes.Riff(WavBytes.FmtExtensible(WavBytes.FloatSubFormat, 2, 44100, 32, validBits: 32), WavBytes.Data(WavBytes.Float32(0.5f, 0.25f, -1f, 0f)));
        var path = _folder.Write("extf.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal([0.375f, -0.5f], wave.Samples);
        Assert.Equal(WavEncoding.IeeeFloat, wave.Source.Encoding);
    }

    [Fact]
    public void Stereo_is_downmixed_by_averaging_the_channels_of_each_frame()
    {
        // Frames (L, R): (0.5, -0.25), (-1, -1), (0.25, 0.75)
        var path = _folder.Write("stereo.wav", WavBytes.Simple(1, 2, 44100, 16, WavBytes.Int16(16384, -8192, -32768, -32768, 8192, 24576)));

        var wave = WavReader.Read(path);

        Assert.Equal([0.125f, -1f, 0.5f], wave.Samples);
        Assert.Equal(new WavFormat(WavEncoding.Pcm, 16, 2, 44100, Extensible: false), wave.Source);
    }

    [Fact]
    public void Six_channels_are_averaged_too()
    {
        var path = _folder.Write("5.1.wav", WavBytes.Simple(3, 6, 48000, 32, WavBytes.Float32(0.6f, 0f, 0f, 0f, 0f, 0f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, -0.5f)));

        var wave = WavReader.Read(path);

        Assert.Equal(2, wave.Samples.Length);
        Assert.Equal(0.1f, wave.Samples[0], 1e-7f);
        Assert.Equal(0f, wave.Samples[1], 1e-7f);
    }

    [Fact]
    public void WavWriter_pcm16_round_trips_within_one_step()
    {
        var samples = Tone.Sine(440, 16000, 1600, amplitude: 0.9);
        var path = Path.Combine(_folder.Path, "written.wav");
        WavWriter.WritePcm16(path, samples, 16000);

        var wave = WavReader.Read(path);

        Assert.Equal(16000, wave.SampleRate);
        Assert.Equal(samples.Length, wave.Samples.Length);
        Assert.All(samples.Zip(wave.Samples), p => Assert.Equal(p.First, p.Second, 1.5f / 32768));
    }

    [Fact]
    public void ReadMono_resamples_to_the_target_rate_and_keeps_the_source_format()
    {
        var path = _folder.Write("cd.wav", WavBytes.Simple(1, 2, 44100, 16, new byte[44100 * 4]));

        var wave = WavReader.ReadMono(path, 16000);

        Assert.Equal(16000, wave.SampleRate);
        Assert.Equal(16000, wave.Samples.Length);
        Assert.Equal(new WavFormat(WavEncoding.Pcm, 16, 2, 44100, Extensible: false), wave.Source);
        Assert.Equal(TimeSpan.FromSeconds(1), wave.Duration);
    }
}
