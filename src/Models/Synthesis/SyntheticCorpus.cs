using System.Collections.Concurrent;
using System.Diagnostics;

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
    /// For more than one core, see the overload with <see cref="SynthesisWorkers"/>.
    /// </summary>
    /// <param name="progress">Receives the number of utterances synthesised so far.</param>
    /// <exception cref="FliteNotAvailableException">Flite is not installed.</exception>
    public static SyntheticCorpusReport Write(
        string outDir, SyntheticCorpusOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        Write(outDir, options, workers: null, progress, cancellationToken);

    /// <summary>
    /// As above, with the utterances spread over <paramref name="workers"/> (child processes; null to synthesise
    /// in this process). The bytes are the same either way. Every worker has stopped before this returns or
    /// throws, so nothing writes into the folder after a failure has removed it.
    /// </summary>
    public static SyntheticCorpusReport Write(
        string outDir, SyntheticCorpusOptions options, SynthesisWorkers? workers, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
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
            var (durations, synthesis) = workers is null
                ? SpeakInProcess(partial, plan, progress, cancellationToken)
                : ParallelSynthesis.SpeakAll(partial, plan, workers, progress, cancellationToken);
            CorpusFileWriter.WriteDialogs(partial, plan, durations);
            var manifest = SynthesisManifest.From(options, plan);
            File.WriteAllText(Path.Combine(partial, SynthesisManifest.FileName), manifest.ToJson());
            Directory.Move(partial, root);
            return new SyntheticCorpusReport(root, manifest, clock.Elapsed, synthesis);
        }
        catch
        {
            try { Directory.Delete(partial, recursive: true); }
            catch (IOException) { } // keep the original failure; a stale .partial is removed by the next run
            throw;
        }
    }

    private static (double[] Durations, TimeSpan Synthesis) SpeakInProcess(
        string root, IReadOnlyList<PlannedUtterance> plan, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var durations = new double[plan.Count];
        var synthesis = SpeakAll(root, plan.Select((p, i) => (i, p)), (i, speech, _) =>
        {
            durations[i] = speech.Duration;
            progress?.Report(i + 1);
        }, cancellationToken);
        return (durations, synthesis);
    }

    /// <summary>
    /// Synthesises <paramref name="jobs"/> in order on this thread while a writer thread saves wavs and alignments;
    /// <paramref name="spoken"/> sees each utterance as soon as its audio exists. Returns once every file is
    /// written, with the time spent in synthesis.
    /// </summary>
    internal static TimeSpan SpeakAll(
        string root, IEnumerable<(int Index, PlannedUtterance Plan)> jobs, Action<int, SynthesizedSpeech, TimeSpan> spoken,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<(PlannedUtterance Plan, SynthesizedSpeech Speech)>(boundedCapacity: 64);
        var writerFailed = false;
        var writer = Task.Run(() =>
        {
            try
            {
                foreach (var (p, speech) in queue.GetConsumingEnumerable(stop.Token)) CorpusFileWriter.WriteUtterance(root, p, speech);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Volatile.Write(ref writerFailed, true);
                stop.Cancel(); // unblocks the synthesis loop, whose Add would otherwise wait forever
                throw;
            }
        }, CancellationToken.None);

        var synthesis = TimeSpan.Zero;
        var completed = false;
        try
        {
            foreach (var (index, p) in jobs)
            {
                stop.Token.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                var speech = UtteranceRenderer.Render(p.SpokenText, p.Speaker.Voice, p.Prosody, p.NoiseSeed);
                var took = Stopwatch.GetElapsedTime(started);
                synthesis += took;
                queue.Add((p, speech), stop.Token);
                spoken(index, speech, took);
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
        return synthesis;
    }
}
