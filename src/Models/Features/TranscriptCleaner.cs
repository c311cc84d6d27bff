using System.Text.RegularExpressions;

namespace Orchestrator.Models.Features;

/// <summary>
/// The transcript text BERT encodes (method.md section 3, text T): IEMOCAP marks non-speech events
/// in square brackets (<c>[LAUGHTER]</c>, <c>[BREATHING]</c>, <c>[GARBAGE]</c>); they are not words the
/// speaker said, so by default every bracketed tag is removed before tokenisation.
/// </summary>
public static partial class TranscriptCleaner
{
    /// <summary>
    /// The transcript without bracketed tags (any <c>[...]</c> without nested brackets), runs of
    /// whitespace collapsed to one space and the ends trimmed. With <paramref name="keepTags"/> the tags
    /// stay and only the whitespace is normalised. An unclosed <c>[</c> is left as written.
    /// </summary>
    public static string Clean(string transcript, bool keepTags = false)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var text = keepTags ? transcript : Tag().Replace(transcript, " ");
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
