namespace Orchestrator.Models.Corpus;

/// <summary>
/// Where the release keeps each kind of file, as paths relative to the corpus root with
/// <c>/</c> separators: problems quote them as they are, whatever the operating system.
/// </summary>
public static class IemocapLayout
{
    /// <summary>Sessions 1 to 5.</summary>
    public const int SessionCount = 5;

    /// <summary>The alignment files of one utterance, in the order <see cref="Alignment"/> lists them.</summary>
    public static readonly IReadOnlyList<(string Extension, SegmentLabelKind Kind)> AlignmentFiles =
        [(".phseg", SegmentLabelKind.Phone), (".wdseg", SegmentLabelKind.Word), (".syseg", SegmentLabelKind.Syllable)];

    public static string SessionFolder(int session) => $"Session{session}";

    public static string EmoEvaluationFolder(int session) => $"Session{session}/dialog/EmoEvaluation";

    public static string TranscriptionsFolder(int session) => $"Session{session}/dialog/transcriptions";

    public static string EmoEvaluationFile(int session, string dialog) => $"{EmoEvaluationFolder(session)}/{dialog}.txt";

    public static string TranscriptionFile(int session, string dialog) => $"{TranscriptionsFolder(session)}/{dialog}.txt";

    public static string WavFolder(int session, string dialog) => $"Session{session}/sentences/wav/{dialog}";

    public static string WavFile(int session, UtteranceId id) => $"{WavFolder(session, id.Dialog)}/{id.Value}.wav";

    public static string AlignmentFile(int session, UtteranceId id, string extension) =>
        $"Session{session}/sentences/ForcedAlignment/{id.Dialog}/{id.Value}{extension}";

    /// <summary>The root-relative path as an absolute one.</summary>
    public static string Absolute(string root, string relative) => Path.GetFullPath(Path.Combine(root, relative));
}
