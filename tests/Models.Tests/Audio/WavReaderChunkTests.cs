using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Tests.Audio;

public sealed class WavReaderChunkTests : IDisposable
{
    private static readonly byte[] Samples = WavBytes.Int16(16384, -16384, 8192);
    private static readonly float[] Expected = [0.5f, -0.5f, 0.25f];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Unknown_chunks_before_and_between_fmt_and_data_are_skipped()
    {
        var file = WavBytes.Riff(
            WavBytes.Chunk("JUNK", new byte[28]),
            WavBytes.Fmt(1, 1, 16000, 16),
            WavBytes.Chunk("fact", [3, 0, 0, 0]),
            WavBytes.Chunk("LIST", "INFOISFT\x05\0\0\0Lavf\0\0"u8.ToArray()),
            WavBytes.Data(Samples));
        var path = _folder.Write("chunks.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal(Expected, wave.Samples);
    }

    [Fact]
    public void An_odd_sized_chunk_is_followed_by_a_pad_byte_that_is_skipped()
    {
        // A 3-byte chunk takes 4 bytes: reading the pad byte as the next id would misalign every chunk after it.
        var file = WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("odd ", [1, 2, 3]), WavBytes.Data(Samples));
        var path = _folder.Write("odd.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal(Expected, wave.Samples);
    }

    [Fact]
    public void Chunks_after_the_data_chunk_are_not_read_as_samples()
    {
        var file = WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Data(Samples), WavBytes.Chunk("LIST", new byte[40]));
        var path = _folder.Write("trailer.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal(Expected, wave.Samples);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void A_streaming_data_size_reads_to_the_end_of_the_file(uint declaredSize)
    {
        var file = WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("data", Samples, declaredSize));
        var path = _folder.Write("stream.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal(Expected, wave.Samples);
    }

    [Fact]
    public void A_streaming_file_cut_mid_frame_drops_the_partial_frame()
    {
        var file = WavBytes.Riff(WavBytes.Fmt(1, 2, 16000, 16), WavBytes.Chunk("data", WavBytes.Int16(16384, 16384, 8192, 8192), 0xFFFFFFFF));
        var path = _folder.Write("cut.wav", file[..^3]); // the last frame's right channel and half its left are gone

        var wave = WavReader.Read(path);

        Assert.Equal([0.5f], wave.Samples);
    }

    [Fact]
    public void An_empty_data_chunk_gives_no_samples()
    {
        var path = _folder.Write("empty.wav", WavBytes.Simple(1, 1, 16000, 16, []));

        var wave = WavReader.Read(path);

        Assert.Empty(wave.Samples);
        Assert.Equal(16000, wave.SampleRate);
    }

    [Fact]
    public void A_wrong_riff_size_is_ignored()
    {
        var file = WavBytes.Simple(1, 1, 16000, 16, Samples);
        file[4] = 0xFF; // RIFF size now claims ~255 bytes more than there are
        var path = _folder.Write("riffsize.wav", file);

        var wave = WavReader.Read(path);

        Assert.Equal(Expected, wave.Samples);
    }
}
