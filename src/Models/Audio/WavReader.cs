using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Models.Audio;

/// <summary>
/// Reads RIFF/WAVE files as mono floats: integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE
/// float of 32 and 64 bits, plain or WAVE_FORMAT_EXTENSIBLE, any channel count and sample rate.
/// </summary>
/// <remarks>
/// Hand-written rather than taken from NAudio.Core's WaveFileReader (which the package mirror does
/// serve): the policy below on truncated and streaming files, and errors that name the file, are
/// the project's own, and the format takes less code than the adapter would.
/// <list type="bullet">
/// <item>Chunks other than <c>fmt </c> and <c>data</c> (LIST, fact, cue, ...) are skipped, with the
/// pad byte that follows an odd-sized chunk; nothing after the data chunk is read.</item>
/// <item>A data chunk declaring 0 or 0xFFFFFFFF bytes was left so by a streaming writer that never
/// went back to fill it in: everything to the end of the file is read. Any other declared size
/// that overruns the file is an error, not a silent partial read.</item>
/// <item>The RIFF header's own size is ignored: writers often get it wrong, and the chunks tell.</item>
/// </list>
/// Every malformed or unsupported file raises <see cref="InvalidDataException"/> whose message
/// starts with the file's path.
/// </remarks>
public static class WavReader
{
    private const uint StreamingSize = 0xFFFFFFFF;

    /// <summary>Reads <paramref name="path"/> as mono (channels averaged) at the file's own rate.</summary>
    public static Waveform Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Reads <paramref name="path"/> as mono, resampled to <paramref name="targetRate"/> (see <see cref="Resampler"/>).</summary>
    public static Waveform ReadMono(string path, int targetRate)
    {
        var wave = Read(path);
        return wave with { Samples = Resampler.Resample(wave.Samples, wave.SampleRate, targetRate), SampleRate = targetRate };
    }

    /// <summary>Decodes a whole WAV file held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static Waveform Decode(ReadOnlySpan<byte> file, string name)
    {
        var (format, body, length) = Locate(file, file.Length, name)
            ?? throw new System.Diagnostics.UnreachableException("With the whole file at hand, Locate finds the data chunk or throws.");
        return new Waveform(WavSamples.ToMono(file.Slice(body, (int)length), format, name), format.SampleRate, format);
    }

    /// <summary>
    /// The format and duration of <paramref name="path"/> from its header alone (the chunks up to
    /// <c>data</c>), with the same checks as <see cref="Read"/>: a truncated file is refused here too.
    /// For checking a whole corpus without decoding every sample.
    /// </summary>
    public static (WavFormat Format, TimeSpan Duration) ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        // The chunks before data (fmt, fact, LIST) usually fit in the first 4 KiB; read more only when they do not.
        for (var size = 4096L; ; size *= 8)
        {
            var head = new byte[Math.Min(stream.Length, size)];
            stream.Position = 0;
            stream.ReadExactly(head);
            if (Locate(head, stream.Length, path) is not { } located) continue;
            var (format, _, length) = located;
            var frames = length / (format.BitsPerSample / 8 * format.Channels);
            return (format, TimeSpan.FromSeconds((double)frames / format.SampleRate));
        }
    }

    /// <summary>
    /// Walks the chunks of <paramref name="head"/>, the first bytes of a file of <paramref name="fileLength"/>
    /// bytes, to the data chunk: the format, where the samples start and how many bytes they take;
    /// null when the chunks run past <paramref name="head"/> before the data chunk (read more).
    /// </summary>
    private static (WavFormat Format, int Body, long Length)? Locate(ReadOnlySpan<byte> head, long fileLength, string name)
    {
        if (head.Length < 12)
            throw Problem(name, $"{head.Length} bytes is too short for a RIFF/WAVE header (12 bytes)");
        if (head[..4].SequenceEqual("RF64"u8))
            throw Problem(name, "RF64 (WAV over 4 GiB) is not supported");
        if (!head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
            throw Problem(name, $"not a RIFF/WAVE file (starts with {Describe(head[..4])}, then {Describe(head[8..12])} at byte 8)");

        WavFormat? format = null;
        var position = 12;
        while (position + 8 <= head.Length)
        {
            var id = head.Slice(position, 4);
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(head[(position + 4)..]);
            var body = position + 8;
            var remaining = fileLength - body;
            if (id.SequenceEqual("data"u8))
            {
                if (format is null) throw Problem(name, "no fmt chunk before the data chunk");
                var length = declared is 0 or StreamingSize ? remaining
                    : declared <= remaining ? declared
                    : throw Problem(name, $"data chunk declares {declared} bytes but only {remaining} follow it (truncated file?)");
                return (format, body, length);
            }
            if (declared > remaining)
                throw Problem(name, $"{Describe(id)} chunk at byte {position} declares {declared} bytes but only {remaining} follow it (truncated file?)");
            if (body + declared > head.Length) return null;
            if (id.SequenceEqual("fmt "u8)) format = WavFmtChunk.Parse(head.Slice(body, (int)declared), name);
            position = body + (int)declared + (int)(declared & 1); // RIFF pads odd-sized chunks to a word
        }
        if (head.Length < fileLength) return null;
        throw Problem(name, format is null ? "no fmt chunk and no data chunk" : "no data chunk");
    }

    /// <summary>The exception for anything wrong with a file: its path first, then what is wrong.</summary>
    internal static InvalidDataException Problem(string name, string what) => new($"{name}: {what}");

    /// <summary>A chunk or magic id as text when it is printable ASCII, else as hex.</summary>
    private static string Describe(ReadOnlySpan<byte> id) =>
        id.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) ? $"0x{Convert.ToHexString(id)}" : $"'{Encoding.ASCII.GetString(id)}'";
}
