using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Writes a synthetic corpus in IEMOCAP's exact layout, spoken by Flite, so that everything downstream
/// (reader, feature extraction, training, the grid) can run end to end without the licensed data set.
/// Emotion is carried by the words, by the voice, or by both (<see cref="CuePattern"/>), so neither
/// modality alone reaches the accuracy fusion does.
/// </summary>
public static class SyntheticCorpus
{
    /// <summary>
    /// Writes the corpus into <paramref name="outDir"/>, which must not exist yet. Everything is written into
    /// <c>outDir.partial</c> first and renamed at the end, so a failed or cancelled run leaves no corpus
    /// that looks complete. Flite runs on the calling thread; files are written by a second one meanwhile.
    /// </summary>
    /// <param name="progress">Receives the number of utterances synthesised so far.</param>
    /// <exception cref="FliteNotAvailableException">Flite is not installed.</exception>
    public static SyntheticCorpusReport Write(
        string outDir, SyntheticCorpusOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        var clock = Stopwatch.StartNew();
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        if (Directory.Exists(root) || File.Exists(root))
            throw new IOException($"{root} already exists; synthesis writes a new corpus and never overwrites one.");
        var plan = CorpusPlanner.Plan(options);
        _ = FliteSynthesizer.Shared; // fail on a missing Flite before creating anything

        var partial = root + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); // left by an interrupted run
        Directory.CreateDirectory(partial);
        try
        {
            var (durations, synthesis) = SpeakAll(partial, plan, progress, cancellationToken);
            WriteDialogs(partial, plan, durations);
            var manifest = SynthesisManifest.From(options, plan);
            File.WriteAllText(Path.Combine(partial, SynthesisManifest.FileName), manifest.ToJson());
            Directory.Move(partial, root);
            return new SyntheticCorpusReport(root, manifest, clock.Elapsed, synthesis);
        }
        catch
        {
            Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    /// <summary>Synthesises in plan order on this thread while a writer thread saves wavs and alignments.</summary>
    private static (double[] Durations, TimeSpan Synthesis) SpeakAll(
        string root, IReadOnlyList<PlannedUtterance> plan, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<(PlannedUtterance Plan, SynthesizedSpeech Speech)>(boundedCapacity: 64);
        var writerFailed = false;
        var writer = Task.Run(() =>
        {
            try
            {
                foreach (var (p, speech) in queue.GetConsumingEnumerable(stop.Token)) WriteUtterance(root, p, speech);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Volatile.Write(ref writerFailed, true);
                stop.Cancel(); // unblocks the synthesis loop, whose Add would otherwise wait forever
                throw;
            }
        }, CancellationToken.None);

        var durations = new double[plan.Count];
        var synthesis = new Stopwatch();
        var completed = false;
        try
        {
            for (var i = 0; i < plan.Count; i++)
            {
                stop.Token.ThrowIfCancellationRequested();
                synthesis.Start();
                var speech = UtteranceRenderer.Render(plan[i].SpokenText, plan[i].Speaker.Voice, plan[i].Prosody, plan[i].NoiseSeed);
                synthesis.Stop();
                durations[i] = speech.Duration;
                queue.Add((plan[i], speech), stop.Token);
                progress?.Report(i + 1);
            }
            completed = true;
        }
        catch (OperationCanceledException) when (Volatile.Read(ref writerFailed))
        {
            // The writer failed and cancelled the loop: its exception is rethrown below.
        }
        finally
        {
            queue.CompleteAdding();
            if (!completed) stop.Cancel();
            try
            {
                writer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (!completed)
            {
                // Stopped because synthesis failed or was cancelled: that exception is the one propagating.
            }
        }
        return (durations, synthesis.Elapsed);
    }

    private static void WriteUtterance(string root, PlannedUtterance plan, SynthesizedSpeech speech)
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
    private static void WriteDialogs(string root, IReadOnlyList<PlannedUtterance> plan, double[] durations)
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
