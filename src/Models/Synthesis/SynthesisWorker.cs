using System.Text.Json;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The child side of parallel synthesis (<see cref="SynthesisWorkers"/>): speaks the utterances a parent
/// sends, one JSON line each, writes their files into the parent's corpus folder and answers each with a
/// JSON line. Every utterance sets its own prosody and seeds libc's rand() before Flite runs
/// (<see cref="FliteSynthesizer.Synthesize"/>), so its bytes are the same whichever worker speaks it
/// and whatever that worker spoke before: a corpus made by any number of workers equals the serial one.
/// </summary>
public static class SynthesisWorker
{
    /// <summary>One object per line, so that a line is a message.</summary>
    internal static readonly JsonSerializerOptions Json = new(SynthesisManifest.Json) { WriteIndented = false };

    /// <summary>
    /// Serves jobs from <paramref name="jobs"/> until it ends, then returns once every file is written.
    /// Answers come in the order of the jobs, each as soon as its audio exists.
    /// </summary>
    /// <param name="root">The folder the parent writes the corpus into; it must exist.</param>
    public static void Serve(string root, TextReader jobs, TextWriter answers)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root} does not exist: a synthesis worker writes into its parent's corpus folder.");
        SyntheticCorpus.SpeakAll(root, Read(jobs), (index, speech, synthesis) =>
        {
            answers.WriteLine(JsonSerializer.Serialize(new SynthesisReply(index, speech.Duration, synthesis.Ticks), Json));
            answers.Flush();
        }, CancellationToken.None);
    }

    private static IEnumerable<(int Index, PlannedUtterance Plan)> Read(TextReader jobs)
    {
        while (jobs.ReadLine() is { } line)
        {
            var job = JsonSerializer.Deserialize<SynthesisJob>(line, Json) ?? throw new InvalidDataException($"Not a synthesis job: {line}");
            yield return (job.Index, job.Utterance);
        }
    }
}
