using System.Globalization;
using System.Text;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>
/// HF BasicTokenizer's <c>_run_strip_accents</c>: NFD, then drop every non-spacing mark (Mn).
/// </summary>
/// <remarks>
/// Done here rather than by <c>string.Normalize</c>: the solution runs with
/// InvariantGlobalization, where .NET has no Unicode decomposition data and Normalize leaves
/// "café" unchanged. The decompositions come from a table generated from Python's unicodedata
/// (AccentStripper.Data.cs); Hangul syllables decompose algorithmically.
/// </remarks>
public static partial class AccentStripper
{
    // Lazy: static field initialisers of partial-class files run in an unspecified order.
    private static readonly Lazy<Dictionary<int, string>> Table = new(() => Decompositions.ToDictionary(d => d.CodePoint, d => d.Stripped));

    /// <summary>The text with accents removed (<c>"Café" -> "Cafe"</c>).</summary>
    public static string Strip(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= 0xAC00 and <= 0xD7A3) AppendHangul(output, rune.Value);
            else if (Table.Value.TryGetValue(rune.Value, out var stripped)) output.Append(stripped);
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) output.Append(rune.ToString());
        }
        return output.ToString();
    }

    // Unicode 3.12: S = 0xAC00 + (L * 21 + V) * 28 + T  ->  L, V and (if T > 0) T jamo.
    private static void AppendHangul(StringBuilder output, int syllable)
    {
        var index = syllable - 0xAC00;
        output.Append((char)(0x1100 + index / (21 * 28)));
        output.Append((char)(0x1161 + index % (21 * 28) / 28));
        if (index % 28 != 0) output.Append((char)(0x11A7 + index % 28));
    }
}
