using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The few entry points of Flite's C library (Debian package libflite1, 2.2) that synthesis needs.
/// Pointers stay <see cref="nint"/>: every call happens under <see cref="FliteSynthesizer"/>'s lock,
/// because Flite keeps global state (voice features, libc's rand) and is not thread-safe.
/// </summary>
internal static partial class FliteNative
{
    public const string Core = "libflite.so.1";
    public const string Slt = "libflite_cmu_us_slt.so.1";
    public const string Awb = "libflite_cmu_us_awb.so.1";
    public const string Kal16 = "libflite_cmu_us_kal16.so.1";
    private const string LibC = "libc.so.6";

    [LibraryImport(Core)] public static partial int flite_init();

    [LibraryImport(Slt)] public static partial nint register_cmu_us_slt(nint voxdir);
    [LibraryImport(Awb)] public static partial nint register_cmu_us_awb(nint voxdir);
    [LibraryImport(Kal16)] public static partial nint register_cmu_us_kal16(nint voxdir);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint flite_synth_text(string text, nint voice);

    [LibraryImport(Core)] public static partial void delete_utterance(nint utterance);
    [LibraryImport(Core)] public static partial nint utt_wave(nint utterance);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint utt_relation(nint utterance, string name);

    [LibraryImport(Core)] public static partial nint relation_head(nint relation);
    [LibraryImport(Core)] public static partial nint item_next(nint item);
    [LibraryImport(Core)] public static partial nint item_prev(nint item);
    [LibraryImport(Core)] public static partial nint item_parent(nint item);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint item_as(nint item, string relation);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint item_feat_string(nint item, string name);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial float item_feat_float(nint item, string name);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial float flite_get_param_float(nint features, string name, float fallback);

    [LibraryImport(Core, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint flite_get_param_val(nint features, string name, nint fallback);

    /// <summary>
    /// Flite stores the key pointer, not a copy (it expects string literals), so keys must outlive the
    /// voice: pass names from <see cref="FeatureName"/>, never a marshalled temporary.
    /// </summary>
    [LibraryImport(Core)]
    public static partial void flite_feat_set_float(nint features, nint name, float value);

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="name"/> that is never freed, for use as a feature key.</summary>
    public static nint FeatureName(string name) => Marshal.StringToCoTaskMemUTF8(name);

    [LibraryImport(Core)] public static partial nint val_cg_db(nint value);

    /// <summary>Clustergen's mixed excitation draws noise from libc's rand(): seeding it makes audio reproducible.</summary>
    [LibraryImport(LibC)] public static partial void srand(uint seed);
}
