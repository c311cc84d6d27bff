using System.Buffers.Binary;

namespace Orchestrator.Models.Audio;

/// <summary>Writes RIFF/WAVE files (hand-written, like <see cref="WavReader"/>: a 44-byte header needs no library).</summary>
public static class WavWriter
{
    /// <summary>
    /// Writes mono 16-bit PCM, the format IEMOCAP ships. Samples are in [-1, 1] and clipped.
    /// The file is written beside <paramref name="path"/> and renamed, so no reader sees half a file.
    /// </summary>
    public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        var data = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var value = (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), value);
        }
        Write(path, formatTag: 1, channels: 1, sampleRate, bitsPerSample: 16, data);
    }

    /// <summary>Writes interleaved sample bytes with a plain <c>fmt </c> chunk (PCM = 1, IEEE float = 3).</summary>
    public static void Write(string path, ushort formatTag, int channels, int sampleRate, int bitsPerSample, ReadOnlySpan<byte> data)
    {
        var blockAlign = channels * bitsPerSample / 8;
        var header = new byte[44];
        var h = header.AsSpan();
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], 36 + data.Length);
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], formatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], sampleRate * blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], (ushort)bitsPerSample);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[40..], data.Length);

        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(header);
            file.Write(data);
            if (data.Length % 2 == 1) file.WriteByte(0); // RIFF chunks are word-aligned
        }
        File.Move(temporary, path, overwrite: true);
    }
}
