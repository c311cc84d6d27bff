namespace Orchestrator.Models.Corpus;

/// <summary>Reads the <c>.phseg</c>, <c>.wdseg</c> and <c>.syseg</c> files of one utterance.</summary>
internal static class AlignmentReader
{
    /// <summary>
    /// The utterance's alignment, or null when none of its three files exists (the release
    /// has such utterances; they keep their label and are reported). A missing single file
    /// is reported too and leaves its list empty (<c>.syseg</c>: null).
    /// </summary>
    public static Alignment? Read(string root, int session, UtteranceId id, ICollection<CorpusProblem> problems)
    {
        var found = new List<AlignedSegment>?[IemocapLayout.AlignmentFiles.Count];
        var missing = new List<string>();
        for (var i = 0; i < found.Length; i++)
        {
            var (extension, kind) = IemocapLayout.AlignmentFiles[i];
            var relative = IemocapLayout.AlignmentFile(session, id, extension);
            var path = IemocapLayout.Absolute(root, relative);
            if (File.Exists(path))
                found[i] = SphinxSegmentParser.Parse(File.ReadAllLines(path), kind, relative, problems);
            else
                missing.Add(relative);
        }

        if (missing.Count == found.Length)
        {
            problems.Add(new CorpusProblem(IemocapLayout.AlignmentFile(session, id, ".*"), null,
                $"{id.Value}: no alignment files (.phseg, .wdseg, .syseg); the utterance has no phone, syllable or word streams"));
            return null;
        }

        foreach (var relative in missing)
            problems.Add(new CorpusProblem(relative, null, $"{id.Value}: alignment file missing"));
        return new Alignment(found[0] ?? [], found[1] ?? [], found[2]);
    }
}
