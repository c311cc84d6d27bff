using System.Buffers.Binary;

namespace Orchestrator.Models.Audio;

/// <summary>Turns a data chunk's interleaved samples into mono floats.</summary>
internal static class WavSamples
{
    /// <summary>
    /// Decodes every whole frame of <paramref name="data"/> and averages its channels. A trailing
    /// partial frame (a streaming writer cut off mid-frame) is dropped.
    /// </summary>
    public static float[] ToMono(ReadOnlySpan<byte> data, WavFormat format, string name)
    {
        var sampleBytes = format.BitsPerSample / 8;
        var frameBytes = sampleBytes * format.Channels;
        var mono = new float[data.Length / frameBytes];
        var channelWeight = 1f / format.Channels;
        for (var frame = 0; frame < mono.Length; frame++)
        {
            var sum = 0f;
            for (var channel = 0; channel < format.Channels; channel++)
            {
                var value = Sample(data.Slice(frame * frameBytes + channel * sampleBytes, sampleBytes), format);
                // A NaN or infinity would silently poison every feature computed from this file.
                if (!float.IsFinite(value))
                    throw WavReader.Problem(name, $"sample {frame} of channel {channel} is {value}; audio must be finite");
                sum += value;
            }
            mono[frame] = format.Channels == 1 ? sum : sum * channelWeight;
        }
        return mono;
    }

    private static float Sample(ReadOnlySpan<byte> bytes, WavFormat format) => (format.Encoding, format.BitsPerSample) switch
    {
        (WavEncoding.Pcm, 8) => (bytes[0] - 128) / 128f, // 8-bit WAV alone is unsigned
        (WavEncoding.Pcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768f,
        (WavEncoding.Pcm, 24) => (bytes[0] | bytes[1] << 8 | (sbyte)bytes[2] << 16) / 8388608f,
        (WavEncoding.Pcm, 32) => (float)(BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0),
        (WavEncoding.IeeeFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        (WavEncoding.IeeeFloat, 64) => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        _ => throw new InvalidOperationException($"{format} passed validation without a decoder"),
    };
}
