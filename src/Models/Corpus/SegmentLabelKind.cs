namespace Orchestrator.Models.Corpus;

/// <summary>Which ForcedAlignment file a Sphinx segmentation came from; decides how its labels read.</summary>
public enum SegmentLabelKind
{
    /// <summary><c>.phseg</c>: <c>PHONE LEFT RIGHT POS</c> or <c>SIL</c>; the phone is the first field.</summary>
    Phone,

    /// <summary><c>.wdseg</c>: one upper-case word, possibly with a pronunciation variant <c>WHAT(2)</c>.</summary>
    Word,

    /// <summary><c>.syseg</c>: a syllable string or space-separated phones; the whole text is the label.</summary>
    Syllable,
}
