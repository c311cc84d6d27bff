using System.Buffers.Binary;
using System.Text;

namespace Orchestrator.Models.Tests.Audio;

/// <summary>
/// Builds WAV files byte by byte, independently of the reader under test, so that tests can
/// also build the malformed and unusual files no writer produces.
/// </summary>
internal static class WavBytes
{
    public static readonly Guid PcmSubFormat = new("00000001-0000-0010-8000-00aa00389b71");
    public static readonly Guid FloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    /// <summary>"RIFF", a size, "WAVE", then the chunks as given.</summary>
    public static byte[] Riff(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var header = new byte[12];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 4 + body.Length);
        "WAVE"u8.CopyTo(header.AsSpan(8));
        return [.. header, .. body];
    }

    /// <summary>A chunk with its pad byte when odd; <paramref name="declaredSize"/> overrides the size field.</summary>
    public static byte[] Chunk(string id, byte[] body, uint? declaredSize = null)
    {
        var header = new byte[8];
        Encoding.ASCII.GetBytes(id).CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), declaredSize ?? (uint)body.Length);
        return body.Length % 2 == 1 ? [.. header, .. body, 0] : [.. header, .. body];
    }

    public static byte[] Fmt(ushort tag, int channels, int sampleRate, int bits) => Chunk("fmt ", FmtBody(tag, channels, sampleRate, bits));

    public static byte[] FmtExtensible(Guid subFormat, int channels, int sampleRate, int bits, int validBits)
    {
        var extension = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(extension, 22); // cbSize
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(2), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(extension.AsSpan(4), channels == 1 ? 0x4u : 0x3u); // speaker mask
        subFormat.TryWriteBytes(extension.AsSpan(8));
        return Chunk("fmt ", [.. FmtBody(0xFFFE, channels, sampleRate, bits), .. extension]);
    }

    public static byte[] Data(byte[] samples) => Chunk("data", samples);

    /// <summary>A whole file: plain fmt chunk, then data.</summary>
    public static byte[] Simple(ushort tag, int channels, int sampleRate, int bits, byte[] samples) =>
        Riff(Fmt(tag, channels, sampleRate, bits), Data(samples));

    public static byte[] Int16(params short[] values) => Encode(values, 2, (s, v) => BinaryPrimitives.WriteInt16LittleEndian(s, v));

    public static byte[] Int24(params int[] values) => Encode(values, 3, (s, v) => { s[0] = (byte)v; s[1] = (byte)(v >> 8); s[2] = (byte)(v >> 16); });

    public static byte[] Int32(params int[] values) => Encode(values, 4, (s, v) => BinaryPrimitives.WriteInt32LittleEndian(s, v));

    public static byte[] Float32(params float[] values) => Encode(values, 4, (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v));

    public static byte[] Float64(params double[] values) => Encode(values, 8, (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v));

    private static byte[] FmtBody(ushort tag, int channels, int sampleRate, int bits)
    {
        var body = new byte[16];
        var blockAlign = channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(body, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), sampleRate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bits);
        return body;
    }

    private delegate void Writer<T>(Span<byte> target, T value);

    private static byte[] Encode<T>(T[] values, int size, Writer<T> write)
    {
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++) write(bytes.AsSpan(i * size, size), values[i]);
        return bytes;
    }
}
