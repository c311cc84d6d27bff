using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Tests.Audio;

public sealed class WavReaderErrorTests : IDisposable
{
    private static readonly byte[] Samples = WavBytes.Int16(1, 2, 3, 4);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_file_that_is_not_riff_names_what_it_starts_with() =>
        AssertProblem("ogg.wav", "OggS\0\x02\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), "not a RIFF/WAVE file (starts with 'OggS'");

    [Fact]
    public void A_riff_file_that_is_not_wave_is_rejected() =>
        AssertProblem("avi.wav", [.. "RIFF\x04\0\0\0AVI "u8], "not a RIFF/WAVE file");

    [Fact]
    public void A_file_shorter_than_the_header_is_rejected() =>
        AssertProblem("short.wav", [.. "RIFF"u8], "4 bytes is too short");

    [Fact]
    public void Rf64_is_named_as_unsupported() =>
        AssertProblem("big.wav", [.. "RF64\xFF\xFF\xFF\xFFWAVE"u8], "RF64");

    [Fact]
    public void Data_without_a_fmt_chunk_is_rejected() =>
        AssertProblem("nofmt.wav", WavBytes.Riff(WavBytes.Chunk("LIST", new byte[4]), WavBytes.Data(Samples)), "no fmt chunk before the data chunk");

    [Fact]
    public void A_fmt_chunk_without_data_is_rejected() =>
        AssertProblem("nodata.wav", WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("LIST", new byte[4])), "no data chunk");

    [Fact]
    public void An_unsupported_format_tag_is_named_with_the_supported_ones() =>
        AssertProblem("mp3.wav", WavBytes.Simple(0x55, 1, 16000, 16, Samples),
            "unsupported format tag 0x0055 (MPEG Layer 3); supported: PCM, IEEE float, extensible");

    [Fact]
    public void An_extensible_sub_format_that_is_not_pcm_or_float_is_named()
    {
        var dolby = new Guid("00000092-0000-0010-8000-00aa00389b72"); // not the KSDATAFORMAT base GUID
        AssertProblem("ac3.wav", WavBytes.Riff(WavBytes.FmtExtensible(dolby, 2, 48000, 16, 16), WavBytes.Data(Samples)),
            $"unsupported extensible sub-format {dolby}");
    }

    [Fact]
    public void An_extensible_mu_law_is_named_by_its_tag()
    {
        var muLaw = new Guid("00000007-0000-0010-8000-00aa00389b71");
        AssertProblem("ulaw.wav", WavBytes.Riff(WavBytes.FmtExtensible(muLaw, 1, 8000, 8, 8), WavBytes.Data(Samples)),
            "unsupported format tag 0x0007 (mu-law) in an extensible fmt chunk");
    }

    [Theory]
    [InlineData(1, 12, "PCM with 12 bits per sample is not supported; supported: 8, 16, 24, 32")]
    [InlineData(3, 16, "IEEE float with 16 bits per sample is not supported; supported: 32, 64")]
    public void An_unsupported_bit_depth_is_named(ushort tag, int bits, string expected) =>
        AssertProblem("bits.wav", WavBytes.Simple(tag, 1, 16000, bits, Samples), expected);

    [Fact]
    public void A_block_align_that_contradicts_channels_and_bits_is_rejected()
    {
        var file = WavBytes.Simple(1, 2, 16000, 16, Samples);
        file[12 + 8 + 12] = 2; // block align of a 2-channel 16-bit file set to 2 instead of 4
        AssertProblem("align.wav", file, "block align is 2 bytes but 2 channels of 16 bits take 4");
    }

    [Fact]
    public void A_zero_sample_rate_is_rejected() =>
        AssertProblem("rate.wav", WavBytes.Simple(1, 1, 0, 16, Samples), "sample rate of 0 Hz");

    [Fact]
    public void A_data_chunk_declaring_more_than_the_file_holds_names_both_sizes()
    {
        var file = WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("data", Samples, declaredSize: 1000));
        AssertProblem("truncated.wav", file, "data chunk declares 1000 bytes but only 8 follow it (truncated file?)");
    }

    [Fact]
    public void A_chunk_before_data_that_overruns_the_file_is_rejected() =>
        AssertProblem("list.wav", WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("LIST", new byte[4], declaredSize: 64)),
            "'LIST' chunk at byte 36 declares 64 bytes but only 4 follow it");

    [Fact]
    public void A_non_finite_float_sample_is_rejected() =>
        AssertProblem("nan.wav", WavBytes.Simple(3, 2, 16000, 32, WavBytes.Float32(0f, 0f, 0.5f, float.NaN)), "sample 1 of channel 1 is NaN");

    private void AssertProblem(string fileName, byte[] bytes, string expected)
    {
        var path = _folder.Write(fileName, bytes);

        var error = Assert.Throws<InvalidDataException>(() => WavReader.Read(path));

        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
