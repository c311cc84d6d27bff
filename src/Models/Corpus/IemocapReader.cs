namespace Orchestrator.Models.Corpus;

/// <summary>
/// Finds the dialogs of sessions 1 to 5 and reads them in parallel. Output does not depend
/// on scheduling: utterances are sorted by id, problems follow the sorted dialog order.
/// </summary>
internal static class IemocapReader
{
    public static IemocapCorpus Read(string root, IProgress<CorpusReadProgress>? progress)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Corpus root '{root}' does not exist.");

        var problems = new List<CorpusProblem>();
        var dialogs = FindDialogs(root, problems);

        var results = new (List<Utterance> Utterances, List<CorpusProblem> Problems)[dialogs.Count];
        var done = 0;
        Parallel.For(0, dialogs.Count, i =>
        {
            var dialogProblems = new List<CorpusProblem>();
            results[i] = (DialogReader.Read(root, dialogs[i].Session, dialogs[i].Name, dialogProblems), dialogProblems);
            progress?.Report(new CorpusReadProgress(Interlocked.Increment(ref done), dialogs.Count));
        });

        var utterances = new List<Utterance>();
        foreach (var (dialogUtterances, dialogProblems) in results)
        {
            utterances.AddRange(dialogUtterances);
            problems.AddRange(dialogProblems);
        }

        utterances.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new IemocapCorpus(RemoveDuplicates(utterances, problems), problems);
    }

    /// <summary>
    /// Dialogs named by an EmoEvaluation or a transcription file: a dialog with only one of
    /// the two is still read, so that its utterances are reported rather than silently lost.
    /// </summary>
    private static List<(int Session, string Name)> FindDialogs(string root, List<CorpusProblem> problems)
    {
        var dialogs = new List<(int, string)>();
        for (var session = 1; session <= IemocapLayout.SessionCount; session++)
        {
            var sessionFolder = IemocapLayout.SessionFolder(session);
            if (!Directory.Exists(IemocapLayout.Absolute(root, sessionFolder)))
            {
                problems.Add(new CorpusProblem(sessionFolder, null, $"session folder missing: session {session} contributes no utterances", ChangesClassSet: true));
                continue;
            }

            var names = DialogNames(root, IemocapLayout.EmoEvaluationFolder(session), problems, changesClassSet: true)
                .Union(DialogNames(root, IemocapLayout.TranscriptionsFolder(session), problems, changesClassSet: false))
                .Order(StringComparer.Ordinal);
            dialogs.AddRange(names.Select(name => (session, name)));
        }

        return dialogs;
    }

    /// <summary>Top-level <c>.txt</c> files only: EmoEvaluation also holds per-annotator subfolders, and some copies carry macOS <c>._</c> files.</summary>
    private static IEnumerable<string> DialogNames(string root, string folder, List<CorpusProblem> problems, bool changesClassSet)
    {
        var path = IemocapLayout.Absolute(root, folder);
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*.txt", SearchOption.TopDirectoryOnly)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .Where(name => !name.StartsWith('.'))
                .ToList();
        }

        problems.Add(new CorpusProblem(folder, null, "folder missing", changesClassSet));
        return [];
    }

    private static List<Utterance> RemoveDuplicates(List<Utterance> sorted, List<CorpusProblem> problems)
    {
        var unique = new List<Utterance>(sorted.Count);
        foreach (var utterance in sorted)
        {
            if (unique.Count > 0 && unique[^1].Id == utterance.Id)
                problems.Add(new CorpusProblem(IemocapLayout.EmoEvaluationFolder(utterance.Session), null,
                    $"{utterance.Id}: labelled in more than one dialog file; the first is kept"));
            else
                unique.Add(utterance);
        }

        return unique;
    }
}
