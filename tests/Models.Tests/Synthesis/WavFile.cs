using System.Buffers.Binary;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>Reads the canonical 44-byte-header PCM wavs that WavWriter writes; test-side on purpose,
/// so the tests do not trust the code under test to read its own output.</summary>
internal sealed record WavFile(ushort Format, ushort Channels, int SampleRate, ushort BitsPerSample, float[] Samples)
{
    public double Duration => Samples.Length / (double)SampleRate;

    public static WavFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(bytes, 36, 4));
        var span = bytes.AsSpan();
        var dataLength = BinaryPrimitives.ReadInt32LittleEndian(span[40..]);
        var samples = new float[dataLength / 2];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(span[(44 + 2 * i)..]) / 32768f;
        return new WavFile(
            BinaryPrimitives.ReadUInt16LittleEndian(span[20..]),
            BinaryPrimitives.ReadUInt16LittleEndian(span[22..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[24..]),
            BinaryPrimitives.ReadUInt16LittleEndian(span[34..]),
            samples);
    }
}
