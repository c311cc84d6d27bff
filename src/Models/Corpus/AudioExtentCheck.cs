using System.Globalization;
using Orchestrator.Models.Audio;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// Reads a labelled utterance's wav header and checks that its alignment ends within the audio.
/// A wav whose header does not hold (truncated, not a WAV) would fail extraction and drop the
/// utterance, so it changes the 4-class set; an alignment that runs past the audio belongs to
/// another recording or a cut one, and its segments would be clipped to the last frame in silence.
/// Only the header is read: checking IEMOCAP's 10,000 wavs must not decode 12 hours of audio.
/// </summary>
internal static class AudioExtentCheck
{
    /// <summary>Slack for the aligner's last frame: Sphinx may count a 10 ms frame the wav only partly fills.</summary>
    private const int SlackFrames = 2;

    public static void Check(string root, string wavFile, UtteranceId id, Alignment? alignment, ICollection<CorpusProblem> problems)
    {
        TimeSpan duration;
        try
        {
            duration = WavReader.ReadHeader(IemocapLayout.Absolute(root, wavFile)).Duration;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // WavReader's message starts with the absolute path; the problem names the file relative to the corpus.
            var what = e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..];
            problems.Add(new CorpusProblem(wavFile, null, $"{id.Value}: unreadable wav: {what}", ChangesClassSet: true));
            return;
        }
        if (alignment is null) return;

        // Alignment frames are 10 ms: the last frame inside the audio, plus the slack.
        var lastFrame = (int)Math.Floor(duration.TotalSeconds * AlignedSegment.FramesPerSecond) - 1 + SlackFrames;
        var lists = new[] { alignment.Phones, alignment.Words, alignment.Syllables ?? [] };
        for (var i = 0; i < lists.Length; i++)
        {
            // Rows are in order and never overlap (the parser drops any that do): the last ends latest.
            if (lists[i].Count == 0 || lists[i][^1].EndFrame <= lastFrame) continue;
            var file = IemocapLayout.AlignmentFile(id.Session, id, IemocapLayout.AlignmentFiles[i].Extension);
            var (line, label, end) = FirstRowPast(IemocapLayout.Absolute(root, file), lastFrame);
            problems.Add(new CorpusProblem(file, line,
                $"{id.Value}: '{label}' ends at {Seconds(end + 1)} s, past the end of {wavFile} ({duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s); the alignment is not of this audio"));
        }
    }

    /// <summary>The first row of a Sphinx file whose end frame is past <paramref name="lastFrame"/>, with its line.</summary>
    private static (int? Line, string Label, int EndFrame) FirstRowPast(string path, int lastFrame)
    {
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end > lastFrame)
                return (i + 1, string.Join(' ', fields[3..]), end);
        }
        return (null, "?", lastFrame);
    }

    private static string Seconds(int frames) => (frames / (double)AlignedSegment.FramesPerSecond).ToString("0.00", CultureInfo.InvariantCulture);
}
