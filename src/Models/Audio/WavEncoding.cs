namespace Orchestrator.Models.Audio;

/// <summary>How a WAV file stores each sample.</summary>
public enum WavEncoding
{
    /// <summary>Integer PCM: unsigned 8-bit, or signed 16, 24 or 32-bit little-endian.</summary>
    Pcm,

    /// <summary>IEEE 754 float, 32 or 64-bit little-endian.</summary>
    IeeeFloat,
}
