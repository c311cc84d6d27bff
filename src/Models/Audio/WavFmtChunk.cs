using System.Buffers.Binary;

namespace Orchestrator.Models.Audio;

/// <summary>Parses and validates a WAV file's <c>fmt </c> chunk.</summary>
internal static class WavFmtChunk
{
    private const ushort PcmTag = 0x0001;
    private const ushort IeeeFloatTag = 0x0003;
    private const ushort ExtensibleTag = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT are xxxxxxxx-0000-0010-8000-00aa00389b71 with the
    // plain format tag in the first field; these are the GUID's bytes after that tag.
    private static ReadOnlySpan<byte> SubFormatTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>The format described by <paramref name="chunk"/> (the chunk's body), or an error naming <paramref name="name"/>.</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> chunk, string name)
    {
        if (chunk.Length < 16)
            throw WavReader.Problem(name, $"fmt chunk is {chunk.Length} bytes; at least 16 expected");
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);

        var extensible = tag == ExtensibleTag;
        if (extensible) tag = SubFormat(chunk, name);

        var encoding = tag switch
        {
            PcmTag => WavEncoding.Pcm,
            IeeeFloatTag => WavEncoding.IeeeFloat,
            _ => throw WavReader.Problem(name,
                $"unsupported format tag 0x{tag:X4} ({TagName(tag)}){(extensible ? " in an extensible fmt chunk" : "")}; supported: PCM, IEEE float, extensible"),
        };
        if (channels == 0) throw WavReader.Problem(name, "fmt chunk declares 0 channels");
        if (sampleRate is 0 or > int.MaxValue) throw WavReader.Problem(name, $"fmt chunk declares a sample rate of {sampleRate} Hz");
        var supportedBits = encoding == WavEncoding.Pcm ? [8, 16, 24, 32] : new[] { 32, 64 };
        if (!supportedBits.Contains(bits))
            throw WavReader.Problem(name,
                $"{(encoding == WavEncoding.Pcm ? "PCM" : "IEEE float")} with {bits} bits per sample is not supported; supported: {string.Join(", ", supportedBits)}");
        if (blockAlign != channels * bits / 8)
            throw WavReader.Problem(name, $"block align is {blockAlign} bytes but {channels} channels of {bits} bits take {channels * bits / 8}");

        return new WavFormat(encoding, bits, channels, (int)sampleRate, extensible);
    }

    /// <summary>The plain format tag an extensible chunk's sub-format GUID stands for.</summary>
    private static ushort SubFormat(ReadOnlySpan<byte> chunk, string name)
    {
        // cbSize (2), valid bits (2), channel mask (4) and the GUID (16) follow the 16 plain bytes.
        if (chunk.Length < 40)
            throw WavReader.Problem(name, $"extensible fmt chunk is {chunk.Length} bytes; 40 expected");
        var guid = chunk.Slice(24, 16);
        if (!guid[2..].SequenceEqual(SubFormatTail))
            throw WavReader.Problem(name, $"unsupported extensible sub-format {new Guid(guid)}; supported: PCM, IEEE float");
        return BinaryPrimitives.ReadUInt16LittleEndian(guid);
    }

    private static string TagName(ushort tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3",
        0x00FF => "AAC",
        0xF1AC => "FLAC",
        _ => "unknown",
    };
}
