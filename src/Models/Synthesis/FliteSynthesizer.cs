using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Text to speech with Flite, with prosody set per call. One instance per process (<see cref="Shared"/>):
/// Flite's voices are global, their features are mutated for each call and clustergen draws from libc's
/// rand(), so every call is serialised behind one lock. Callers that want throughput synthesise on one
/// thread and do everything else in parallel.
/// </summary>
public sealed class FliteSynthesizer
{
    /// <summary>Sample rate of every voice in <see cref="FliteVoice"/>, and IEMOCAP's.</summary>
    public const int SampleRate = 16000;

    private static readonly Lazy<FliteSynthesizer> Instance = new(() => new FliteSynthesizer());
    private static readonly Lock Gate = new();

    // Feature keys live as long as the process: Flite keeps the pointers (see FliteNative.flite_feat_set_float).
    private static readonly nint DurationStretch = FliteNative.FeatureName("duration_stretch");
    private static readonly nint F0Mean = FliteNative.FeatureName("int_f0_target_mean");
    private static readonly nint F0StdDev = FliteNative.FeatureName("int_f0_target_stddev");

    private readonly Dictionary<FliteVoice, VoiceHandle> voices = [];

    private FliteSynthesizer()
    {
        FliteLibraries.EnsureAvailable();
        lock (Gate)
        {
            FliteNative.flite_init();
            voices[FliteVoice.Slt] = VoiceHandle.Register(FliteNative.register_cmu_us_slt(0));
            voices[FliteVoice.Awb] = VoiceHandle.Register(FliteNative.register_cmu_us_awb(0));
            voices[FliteVoice.Kal16] = VoiceHandle.Register(FliteNative.register_cmu_us_kal16(0));
        }
    }

    /// <summary>The process-wide synthesiser; throws <see cref="FliteNotAvailableException"/> when Flite is not installed.</summary>
    public static FliteSynthesizer Shared => Instance.Value;

    /// <summary>
    /// Speaks <paramref name="text"/> (plain English, no markup) in <paramref name="voice"/>. Rate, pitch and
    /// range of <paramref name="prosody"/> are applied by Flite itself; its level is not (see the renderer).
    /// The same arguments give the same samples, whatever was synthesised before.
    /// </summary>
    public SynthesizedSpeech Synthesize(string text, FliteVoice voice, ProsodyStyle prosody, uint noiseSeed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var handle = voices[voice];
        lock (Gate)
        {
            handle.Apply(prosody);
            FliteNative.srand(noiseSeed);
            var utterance = FliteNative.flite_synth_text(text, handle.Pointer);
            if (utterance == 0) throw new InvalidOperationException($"Flite failed to synthesise \"{text}\".");
            try
            {
                var speech = FliteUtteranceReader.Read(utterance);
                if (speech.SampleRate != SampleRate)
                    throw new InvalidOperationException($"Voice {voice} synthesised {speech.SampleRate} Hz; the corpus needs {SampleRate} Hz.");
                return speech;
            }
            finally
            {
                FliteNative.delete_utterance(utterance);
            }
        }
    }

    /// <summary>A registered voice and the defaults that relative prosody multiplies.</summary>
    private sealed record VoiceHandle(nint Pointer, nint Features, float Stretch, float F0Mean, float F0StdDev)
    {
        public static VoiceHandle Register(nint voice)
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
                var db = FliteNative.val_cg_db(FliteNative.flite_get_param_val(features, "cg_db", 0));
                var head = Marshal.PtrToStructure<NativeClustergenHead>(db);
                (mean, deviation) = (head.F0Mean, head.F0StdDev);
            }
            return new VoiceHandle(voice, features, stretch, mean, deviation);
        }

        /// <summary>Both engines read these three features at synthesis time (cst_cg.c, us_f0_model.c, cst_synth.c).</summary>
        public void Apply(ProsodyStyle prosody)
        {
            FliteNative.flite_feat_set_float(Features, DurationStretch, (float)(Stretch * prosody.Rate));
            FliteNative.flite_feat_set_float(Features, FliteSynthesizer.F0Mean, (float)(F0Mean * prosody.Pitch));
            FliteNative.flite_feat_set_float(Features, FliteSynthesizer.F0StdDev, (float)(F0StdDev * prosody.Range));
        }
    }
}
