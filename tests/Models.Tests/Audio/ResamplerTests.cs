using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Tests.Audio;

public sealed class ResamplerTests
{
    [Fact]
    public void Equal_rates_return_the_input_itself()
    {
        var samples = Tone.Sine(440, 16000, 100);

        var output = Resampler.Resample(samples, 16000, 16000);

        Assert.Same(samples, output);
    }

    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(48000, 16000)]
    [InlineData(22050, 16000)]
    public void A_440_Hz_sine_keeps_its_amplitude_frequency_and_phase(int fromRate, int toRate)
    {
        var input = Tone.Sine(440, fromRate, fromRate);

        var output = Resampler.Resample(input, fromRate, toRate);

        // Sample by sample against the same sine sampled at the new rate: a wrong gain, pitch or delay all fail.
        var ideal = Tone.Sine(440, toRate, output.Length);
        var margin = toRate / 20; // the edges see zeros beyond the input
        var worst = Enumerable.Range(margin, output.Length - 2 * margin).Max(j => Math.Abs(output[j] - ideal[j]));
        Assert.True(worst < 1e-4, $"largest deviation from the ideal sine: {worst:E2}");
    }

    [Theory]
    [InlineData(44100, 44100, 16000, 16000)]
    [InlineData(1001, 48000, 16000, 334)] // 333.67 rounds up
    [InlineData(3, 8000, 16000, 6)]
    [InlineData(1, 44100, 16000, 1)]
    [InlineData(0, 44100, 16000, 0)]
    [InlineData(100, 22050, 16000, 73)] // 72.56 rounds up
    public void Output_length_is_the_input_length_times_the_rate_ratio_rounded_up(int inputLength, int fromRate, int toRate, int expected)
    {
        var output = Resampler.Resample(new float[inputLength], fromRate, toRate);

        Assert.Equal(expected, output.Length);
        Assert.Equal(expected, Resampler.OutputLength(inputLength, fromRate, toRate));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(6000)]
    [InlineData(6800)]
    public void Passband_tones_at_48_kHz_pass_to_16_kHz_unchanged_in_amplitude(double frequency)
    {
        var input = Tone.Sine(frequency, 48000, 48000);

        var output = Resampler.Resample(input, 48000, 16000);

        var gain = Tone.Amplitude(Tone.Interior(output, 16000), frequency, 16000) / 0.5;
        Assert.True(Math.Abs(Tone.Decibels(gain)) < 0.01, $"{frequency} Hz gain: {Tone.Decibels(gain):F4} dB");
    }

    [Theory]
    [InlineData(8200)]
    [InlineData(10000)]
    [InlineData(15000)]
    [InlineData(23000)]
    public void Tones_above_the_new_Nyquist_are_removed_not_aliased(double frequency)
    {
        var input = Tone.Sine(frequency, 48000, 48000);

        var output = Resampler.Resample(input, 48000, 16000);

        // Whatever survives is an alias below 8 kHz: measure all of it, against the input's level.
        var attenuation = -Tone.Decibels(Tone.Rms(Tone.Interior(output, 16000)) / Tone.Rms(input));
        Assert.True(attenuation >= 100, $"{frequency} Hz attenuated by only {attenuation:F1} dB");
    }

    [Fact]
    public void Upsampling_leaves_no_image_above_the_old_Nyquist()
    {
        var input = Tone.Sine(3000, 8000, 8000);

        var output = Resampler.Resample(input, 8000, 16000);

        // Zero-stuffing would mirror 3 kHz about the old Nyquist (4 kHz) to 5 kHz.
        var interior = Tone.Interior(output, 16000);
        var image = Tone.Amplitude(interior, 5000, 16000);
        var tone = Tone.Amplitude(interior, 3000, 16000);
        Assert.True(Tone.Decibels(image / tone) < -100, $"5 kHz image at {Tone.Decibels(image / tone):F1} dB");
        Assert.True(Math.Abs(Tone.Decibels(tone / 0.5)) < 0.01, $"3 kHz gain: {Tone.Decibels(tone / 0.5):F4} dB");
    }

    [Theory]
    [InlineData(0, 16000)]
    [InlineData(16000, -1)]
    public void Non_positive_rates_are_rejected(int fromRate, int toRate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample(new float[10], fromRate, toRate));
}
