using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>Flite's <c>cst_wave</c> (cst_wave.h): interleaved 16-bit samples owned by the utterance.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeWave
{
    public readonly nint Type;
    public readonly int SampleRate;
    public readonly int NumSamples;
    public readonly int NumChannels;
    public readonly nint Samples;
}
