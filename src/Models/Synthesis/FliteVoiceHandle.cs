using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>A registered voice and the defaults that relative prosody multiplies.</summary>
internal sealed record FliteVoiceHandle(nint Pointer, nint Features, float Stretch, float F0Mean, float F0StdDev)
{
    // Feature keys live as long as the process: Flite keeps the pointers (see FliteNative.flite_feat_set_float).
    private static readonly nint StretchKey = FliteNative.FeatureName("duration_stretch");
    private static readonly nint MeanKey = FliteNative.FeatureName("int_f0_target_mean");
    private static readonly nint StdDevKey = FliteNative.FeatureName("int_f0_target_stddev");

    public static FliteVoiceHandle Register(nint voice)
    {
        if (voice == 0) throw new FliteNotAvailableException($"A Flite voice failed to register; reinstall {FliteLibraries.Package}.");
        var features = Marshal.PtrToStructure<NativeVoice>(voice).Features;
        var stretch = FliteNative.flite_get_param_float(features, "duration_stretch", 1f);
        // Diphone voices (kal16) state their F0 targets as voice features; clustergen voices
        // (slt, awb) leave them unset and fall back to the trained values in their cg_db.
        var mean = FliteNative.flite_get_param_float(features, "int_f0_target_mean", float.NaN);
        var deviation = FliteNative.flite_get_param_float(features, "int_f0_target_stddev", float.NaN);
        if (float.IsNaN(mean) || float.IsNaN(deviation))
        {
            var db = FliteNative.flite_get_param_val(features, "cg_db", 0);
            if (db == 0) throw new InvalidOperationException("A Flite voice has neither F0 target features nor a clustergen database.");
            var head = Marshal.PtrToStructure<NativeClustergenHead>(FliteNative.val_cg_db(db));
            (mean, deviation) = (head.F0Mean, head.F0StdDev);
        }
        return new FliteVoiceHandle(voice, features, stretch, mean, deviation);
    }

    /// <summary>Both engines read these three features at synthesis time (cst_cg.c, us_f0_model.c, cst_synth.c).</summary>
    public void Apply(ProsodyStyle prosody)
    {
        FliteNative.flite_feat_set_float(Features, StretchKey, (float)(Stretch * prosody.Rate));
        FliteNative.flite_feat_set_float(Features, MeanKey, (float)(F0Mean * prosody.Pitch));
        FliteNative.flite_feat_set_float(Features, StdDevKey, (float)(F0StdDev * prosody.Range));
    }
}
