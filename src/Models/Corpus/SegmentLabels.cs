using System.Text.RegularExpressions;

namespace Orchestrator.Models.Corpus;

/// <summary>Normalises Sphinx segment labels and tells silence and noise from speech.</summary>
public static partial class SegmentLabels
{
    private static readonly HashSet<string> SilenceTokens = new(StringComparer.OrdinalIgnoreCase) { "SIL", "<s>", "</s>", "<sil>" };

    /// <summary>
    /// The label of a row from its label fields: the phone for <see cref="SegmentLabelKind.Phone"/>,
    /// otherwise the fields joined by single spaces; pronunciation variants (<c>WHAT(2)</c>) stripped.
    /// </summary>
    public static string Normalise(IReadOnlyList<string> fields, SegmentLabelKind kind) => kind == SegmentLabelKind.Phone
        ? StripVariant(fields[0])
        : string.Join(' ', fields.Select(StripVariant));

    /// <summary><c>WHAT(2)</c> becomes <c>WHAT</c>: the variant names a pronunciation, not a different word.</summary>
    public static string StripVariant(string token) => Variant().Replace(token, "");

    /// <summary>
    /// Silence (<c>SIL</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, <c>&lt;sil&gt;</c>) or noise. Noise words are
    /// <c>++LAUGHTER++</c>; Sphinx's filler phones are written <c>+BREATH+</c>, so any label
    /// wrapped in plus signs counts.
    /// </summary>
    public static bool IsSilence(string label) =>
        SilenceTokens.Contains(label) || (label.Length >= 2 && label[0] == '+' && label[^1] == '+');

    [GeneratedRegex(@"\(\d+\)$")]
    private static partial Regex Variant();
}
