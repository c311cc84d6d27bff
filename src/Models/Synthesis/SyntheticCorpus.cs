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
                foreach (var (p, speech) in queue.GetConsumingEnumerable(stop.Token)) CorpusFileWriter.WriteUtterance(root, p, speech);
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
}
