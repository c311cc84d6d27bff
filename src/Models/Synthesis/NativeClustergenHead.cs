using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The first fields of Flite's <c>cst_cg_db</c> (cst_cg.h), whose header promises that fields are only
/// ever appended. Clustergen voices keep their trained F0 mean and deviation here rather than in the
/// voice features, so this is where the base of a relative pitch change comes from.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeClustergenHead
{
    public readonly nint Name;
    public readonly nint Types;
    public readonly int NumTypes;
    public readonly int SampleRate;
    public readonly float F0Mean;
    public readonly float F0StdDev;
}
