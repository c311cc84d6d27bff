namespace Orchestrator.Models.Corpus;

/// <summary>
/// Reads one dialog: its EmoEvaluation and transcription files, and for each labelled
/// utterance its wav path and alignment. Every utterance seen in either file is either
/// returned or named in a problem.
/// </summary>
internal static class DialogReader
{
    public static List<Utterance> Read(string root, int session, string dialog, List<CorpusProblem> problems)
    {
        var emoFile = IemocapLayout.EmoEvaluationFile(session, dialog);
        var entries = ReadLines(root, emoFile, problems, "no EmoEvaluation file: the dialog's utterances have no labels", changesClassSet: true) is { } emoLines
            ? EmoEvaluationParser.Parse(emoLines, emoFile, problems)
            : [];

        var transcriptFile = IemocapLayout.TranscriptionFile(session, dialog);
        var transcriptLines = ReadLines(root, transcriptFile, problems, "no transcription file: the dialog's utterances get empty transcripts", changesClassSet: false);
        var transcripts = Index(transcriptLines is null ? [] : TranscriptionParser.Parse(transcriptLines, transcriptFile, problems), transcriptFile, problems);

        var utterances = new List<Utterance>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = UtteranceId.TryParse(entry.Id, out var error);
            if (id is null)
            {
                problems.Add(new CorpusProblem(emoFile, entry.Line, $"{error}; utterance skipped", ChangesClassSet: true));
                continue;
            }

            if (!seen.Add(id.Value))
            {
                problems.Add(new CorpusProblem(emoFile, entry.Line, $"{id.Value}: second summary for the same utterance; skipped"));
                continue;
            }

            if (id.Dialog != dialog || id.Session != session)
                problems.Add(new CorpusProblem(emoFile, entry.Line, $"{id.Value}: belongs to dialog {id.Dialog} of session {id.Session}, not to this file's"));

            string transcript = "";
            if (transcripts.Remove(id.Value, out var line))
                transcript = line.Text;
            else if (transcriptLines is not null)
                problems.Add(new CorpusProblem(emoFile, entry.Line, $"{id.Value}: no line in {transcriptFile}; transcript left empty"));

            var wavFile = IemocapLayout.WavFile(session, id);
            var wavPath = IemocapLayout.Absolute(root, wavFile);
            var wavExists = File.Exists(wavPath);
            if (!wavExists)
                problems.Add(new CorpusProblem(wavFile, null, $"{id.Value}: wav file missing", ChangesClassSet: true));

            var alignment = AlignmentReader.Read(root, session, id, problems);
            if (wavExists)
                AudioExtentCheck.Check(root, wavFile, id, alignment, problems);
            utterances.Add(new Utterance(id.Value, id.Session, id.Dialog, id.Gender, entry.Category,
                EmotionLabels.FromRaw(entry.Category), transcript, wavPath, alignment));
        }

        foreach (var orphan in transcripts.Values.OrderBy(l => l.Line))
            problems.Add(new CorpusProblem(transcriptFile, orphan.Line, $"{orphan.Id}: transcribed but has no EmoEvaluation summary; not in the corpus"));
        ReportUnlabelledWavs(root, session, dialog, seen, problems);
        return utterances;
    }

    private static string[]? ReadLines(string root, string relative, List<CorpusProblem> problems, string whenMissing, bool changesClassSet)
    {
        var path = IemocapLayout.Absolute(root, relative);
        if (File.Exists(path))
            return File.ReadAllLines(path);
        problems.Add(new CorpusProblem(relative, null, whenMissing, changesClassSet));
        return null;
    }

    private static Dictionary<string, TranscriptLine> Index(List<TranscriptLine> lines, string file, List<CorpusProblem> problems)
    {
        var index = new Dictionary<string, TranscriptLine>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!index.TryAdd(line.Id, line))
                problems.Add(new CorpusProblem(file, line.Line, $"{line.Id}: transcribed twice; the line {index[line.Id].Line} is kept"));
        }

        return index;
    }

    /// <summary>
    /// A wav without a summary is a recording the corpus does not label. The release has
    /// none, so one showing up means a label went missing: say so rather than ignore it.
    /// </summary>
    private static void ReportUnlabelledWavs(string root, int session, string dialog, HashSet<string> labelled, List<CorpusProblem> problems)
    {
        var folder = IemocapLayout.WavFolder(session, dialog);
        var path = IemocapLayout.Absolute(root, folder);
        if (!Directory.Exists(path))
            return;
        var unlabelled = Directory.EnumerateFiles(path, "*.wav")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(name => !name.StartsWith('.') && !labelled.Contains(name))
            .Order(StringComparer.Ordinal);
        foreach (var name in unlabelled)
            problems.Add(new CorpusProblem($"{folder}/{name}.wav", null, $"{name}: wav file without an EmoEvaluation summary; not in the corpus"));
    }
}
