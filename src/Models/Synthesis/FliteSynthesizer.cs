namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Text to speech with Flite, with prosody set per call. One instance per process (<see cref="Shared"/>):
/// Flite's voices are global, their features are mutated for each call and clustergen draws from libc's
/// rand(), so every call is serialised behind one lock. Callers that want throughput synthesise on one
/// thread and do everything else in parallel, or run one process per core (<see cref="SynthesisWorkers"/>).
/// </summary>
public sealed class FliteSynthesizer
{
    /// <summary>Sample rate of every voice in <see cref="FliteVoice"/>, and IEMOCAP's.</summary>
    public const int SampleRate = 16000;

    private static readonly Lazy<FliteSynthesizer> Instance = new(() => new FliteSynthesizer());
    private static readonly Lock Gate = new();


    private readonly Dictionary<FliteVoice, FliteVoiceHandle> voices = [];

    private FliteSynthesizer()
    {
        FliteLibraries.EnsureAvailable();
        lock (Gate)
        {
            FliteNative.flite_init();
            voices[FliteVoice.Slt] = FliteVoiceHandle.Register(FliteNative.register_cmu_us_slt(0));
            voices[FliteVoice.Awb] = FliteVoiceHandle.Register(FliteNative.register_cmu_us_awb(0));
            voices[FliteVoice.Kal16] = FliteVoiceHandle.Register(FliteNative.register_cmu_us_kal16(0));
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
}
