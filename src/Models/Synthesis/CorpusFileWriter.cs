using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Synthesis;

/// <summary>Puts synthesised utterances and their dialogs' files where IEMOCAP keeps them (<see cref="CorpusPaths"/>).</summary>
internal static class CorpusFileWriter
{
    /// <summary>The wav and, unless the plan withholds them, the three segmentation files.</summary>
    public static void WriteUtterance(string root, PlannedUtterance plan, SynthesizedSpeech speech)
    {
        var wav = Path.Combine(root, CorpusPaths.Wav(plan.Session, plan.Dialog, plan.Id));
        Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
        WavWriter.WritePcm16(wav, speech.Samples, speech.SampleRate);
        if (!plan.HasAlignment) return;

        var alignment = AlignmentBuilder.Build(speech, new DeterministicRandom(plan.AlignmentSeed));
        var files = new[] { (".phseg", "Phone", alignment.Phones), (".wdseg", "Word", alignment.Words), (".syseg", "Syllable", alignment.Syllables) };
        foreach (var (extension, unit, rows) in files)
        {
            var path = Path.Combine(root, CorpusPaths.Alignment(plan.Session, plan.Dialog, plan.Id, extension));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, SphinxSegFormatter.Format(rows, unit));
        }
    }

    /// <summary>Lays each dialog's utterances end to end with the planned gaps, then writes its label and transcript files.</summary>
    public static void WriteDialogs(string root, IReadOnlyList<PlannedUtterance> plan, double[] durations)
    {
        foreach (var dialog in plan.Select((p, i) => (Plan: p, Duration: durations[i])).GroupBy(x => x.Plan.Dialog))
        {
            var turns = new List<DialogTurn>();
            var clock = 0.0;
            foreach (var (p, duration) in dialog)
            {
                var start = clock + p.GapBefore;
                turns.Add(new DialogTurn(p, start, start + duration));
                clock = start + duration;
            }
            var first = turns[0].Plan;
            Save(root, CorpusPaths.EmoEvaluation(first.Session, dialog.Key), EmoEvaluationFormatter.Format(turns));
            var strays = new DeterministicRandom(first.AlignmentSeed).Fork(0x5752A7);
            Save(root, CorpusPaths.Transcription(first.Session, dialog.Key), TranscriptionFormatter.Format(turns, strays));
        }
    }

    private static void Save(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
