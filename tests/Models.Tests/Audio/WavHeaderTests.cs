using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Tests.Audio;

/// <summary><see cref="WavReader.ReadHeader"/>, which corpus check uses for every wav: the same verdict as a full read, from the header alone.</summary>
public sealed class WavHeaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, byte[]> Files => new()
    {
        { "plain", WavBytes.Simple(1, 1, 16000, 16, new byte[2 * 8000]) },
        { "stereo 24-bit", WavBytes.Simple(1, 2, 8000, 24, new byte[2 * 3 * 4000]) },
        // Chunks before data larger than the first read: the header is read further, not refused.
        { "100 KiB LIST first", WavBytes.Riff(WavBytes.Chunk("LIST", new byte[100_000]), WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Data(new byte[2 * 1600])) },
        { "streaming size", WavBytes.Riff(WavBytes.Fmt(3, 1, 16000, 32), WavBytes.Chunk("data", new byte[4 * 3200], declaredSize: 0xFFFFFFFF)) },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void The_header_gives_the_duration_and_format_a_full_read_gives(string name, byte[] bytes)
    {
        var path = _folder.Write($"{name}.wav", bytes);

        var (format, duration) = WavReader.ReadHeader(path);

        var wave = WavReader.Read(path);
        Assert.Equal(wave.Source, format);
        Assert.Equal(wave.Duration, duration);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(10)]
    public void A_truncated_file_is_refused_with_the_message_of_a_full_read(int keep)
    {
        var path = _folder.Write("cut.wav", WavBytes.Simple(1, 1, 16000, 16, new byte[16000])[..keep]);

        var header = Assert.Throws<InvalidDataException>(() => WavReader.ReadHeader(path));

        var full = Assert.Throws<InvalidDataException>(() => WavReader.Read(path));
        Assert.Equal(full.Message, header.Message);
        Assert.StartsWith(path, header.Message);
    }
}
