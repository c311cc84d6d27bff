using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>Checks up front that Flite is installed, so a missing library fails with an actionable message
/// instead of a <see cref="DllNotFoundException"/> from deep inside synthesis.</summary>
public static class FliteLibraries
{
    /// <summary>The Debian/Ubuntu package that ships every library below.</summary>
    public const string Package = "libflite1";

    /// <summary>The shared objects synthesis loads (voices pull in libflite_usenglish and libflite_cmulex themselves).</summary>
    public static readonly IReadOnlyList<string> Required =
        [FliteNative.Core, FliteNative.Slt, FliteNative.Awb, FliteNative.Kal16];

    /// <summary>Throws <see cref="FliteNotAvailableException"/> naming the package when any library fails to load.</summary>
    public static void EnsureAvailable(IReadOnlyList<string>? libraries = null)
    {
        var missing = new List<string>();
        foreach (var library in libraries ?? Required)
        {
            if (NativeLibrary.TryLoad(library, out var handle)) NativeLibrary.Free(handle);
            else missing.Add(library);
        }
        if (missing.Count > 0)
            throw new FliteNotAvailableException(
                $"Speech synthesis needs the Flite library, which could not be loaded ({string.Join(", ", missing)}). " +
                $"Install the package {Package}: sudo apt-get install {Package}");
    }
}
