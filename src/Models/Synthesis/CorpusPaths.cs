namespace Orchestrator.Models.Synthesis;

/// <summary>Where each file of an IEMOCAP-layout corpus lives, relative to its root.</summary>
public static class CorpusPaths
{
    public static string Session(int session) => $"Session{session}";

    public static string EmoEvaluation(int session, string dialog) =>
        Path.Combine(Session(session), "dialog", "EmoEvaluation", dialog + ".txt");

    public static string Transcription(int session, string dialog) =>
        Path.Combine(Session(session), "dialog", "transcriptions", dialog + ".txt");

    public static string Wav(int session, string dialog, string utterance) =>
        Path.Combine(Session(session), "sentences", "wav", dialog, utterance + ".wav");

    /// <param name="extension"><c>.phseg</c>, <c>.wdseg</c> or <c>.syseg</c>.</param>
    public static string Alignment(int session, string dialog, string utterance, string extension) =>
        Path.Combine(Session(session), "sentences", "ForcedAlignment", dialog, utterance + extension);
}
