using System.Text.RegularExpressions;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// An IEMOCAP utterance id taken apart: <c>Ses01F_impro01_F000</c> is session 1, dialog
/// <c>Ses01F_impro01</c>, speaker gender F.
/// </summary>
/// <param name="Value">The id as written.</param>
/// <param name="Session">The number after <c>Ses</c>.</param>
/// <param name="Dialog">The id minus its last <c>_</c> field.</param>
/// <param name="Gender">The first letter of the last field: the speaker of this utterance.</param>
public sealed partial record UtteranceId(string Value, int Session, string Dialog, char Gender)
{
    /// <summary>
    /// Parses an id, or says why it is not one. The middle of the dialog name is left free
    /// (<c>impro05a</c>, <c>script01_1b</c>, ...) because the release varies there; only the
    /// parts the reader relies on (session, dialog, gender) are checked.
    /// </summary>
    public static UtteranceId? TryParse(string text, out string? error)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not an utterance id of the form Ses01F_impro01_F000";
            return null;
        }

        var session = int.Parse(match.Groups["session"].Value);
        if (session is < 1 or > 5)
        {
            error = $"'{text}' names session {session}; IEMOCAP has sessions 1 to 5";
            return null;
        }

        error = null;
        return new UtteranceId(text, session, match.Groups["dialog"].Value, match.Groups["gender"].Value[0]);
    }

    [GeneratedRegex(@"^(?<dialog>Ses(?<session>\d{2})[FM]_[A-Za-z0-9_]*[A-Za-z0-9])_(?<gender>[FM])\d{3}$")]
    private static partial Regex Pattern();
}
