namespace Orchestrator.Models.Corpus;

/// <summary>
/// An IEMOCAP-layout corpus as read: every utterance with an EmoEvaluation summary, whatever
/// its label, and everything found wrong on the way.
/// </summary>
public sealed class IemocapCorpus
{
    public IemocapCorpus(IReadOnlyList<Utterance> utterances, IReadOnlyList<CorpusProblem> problems)
    {
        Utterances = utterances;
        Problems = problems;
        FourClass = utterances.Where(u => u.Label is not null).ToList();
    }

    /// <summary>All labelled utterances, sorted by id (ordinal).</summary>
    public IReadOnlyList<Utterance> Utterances { get; }

    /// <summary>Malformed or missing things, in dialog order; each dropped utterance is named in one.</summary>
    public IReadOnlyList<CorpusProblem> Problems { get; }

    /// <summary>The utterances of the method's four classes (exc counted as hap), sorted by id.</summary>
    public IReadOnlyList<Utterance> FourClass { get; }

    /// <summary>Reads the corpus under <paramref name="root"/> (the folder holding Session1..Session5).</summary>
    /// <param name="progress">Told after each dialog; called from worker threads.</param>
    /// <exception cref="DirectoryNotFoundException">The root itself does not exist.</exception>
    public static IemocapCorpus Read(string root, IProgress<CorpusReadProgress>? progress = null) =>
        IemocapReader.Read(root, progress);

    /// <summary>Leave one session out: fold <paramref name="session"/> tests on that session's 4-class utterances and trains on the others'.</summary>
    public (IReadOnlyList<Utterance> Train, IReadOnlyList<Utterance> Test) Fold(int session)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(session, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(session, IemocapLayout.SessionCount);
        return (FourClass.Where(u => u.Session != session).ToList(), FourClass.Where(u => u.Session == session).ToList());
    }
}
