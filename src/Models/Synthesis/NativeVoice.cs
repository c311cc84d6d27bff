using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>The head of Flite's <c>cst_voice</c> (cst_voice.h): only the feature set is read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeVoice
{
    public readonly nint Name;
    public readonly nint Features;
}
