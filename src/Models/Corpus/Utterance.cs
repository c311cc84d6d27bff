namespace Orchestrator.Models.Corpus;

/// <summary>One labelled utterance of an IEMOCAP-layout corpus.</summary>
/// <param name="Id">Utterance id, e.g. <c>Ses01F_impro01_F000</c>.</param>
/// <param name="Session">Session number, 1 to 5: the fold that tests on it.</param>
/// <param name="Dialog">The id minus its last <c>_</c> field, e.g. <c>Ses01F_impro01</c>.</param>
/// <param name="Gender">'F' or 'M': the gender of this utterance's speaker (the id's last field).</param>
/// <param name="RawLabel">The consensus category as released (neu, exc, fru, xxx, ...).</param>
/// <param name="Label">The 4-class label, or null for categories the method drops.</param>
/// <param name="Transcript">The transcript as released (bracketed tags kept); empty when none was found.</param>
/// <param name="WavPath">Absolute path of the utterance's wav file (which may be missing: see the corpus' problems).</param>
/// <param name="Alignment">The forced alignment, or null when the corpus has no alignment files for this utterance.</param>
public sealed record Utterance(
    string Id,
    int Session,
    string Dialog,
    char Gender,
    string RawLabel,
    Emotion? Label,
    string Transcript,
    string WavPath,
    Alignment? Alignment)
{
    /// <summary>Speaker identity: each session has one female and one male speaker, e.g. <c>Ses01F</c>.</summary>
    public string Speaker => $"Ses{Session:00}{Gender}";
}
