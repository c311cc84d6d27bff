using System.Text.RegularExpressions;

namespace Orchestrator.Models.Synthesis;

/// <summary>Draws a sentence of a lexical category and fills its slots.</summary>
internal static partial class SentenceGenerator
{
    public static string Draw(string category, DeterministicRandom random)
    {
        if (!SentenceBank.Templates.TryGetValue(category, out var templates))
            throw new ArgumentException($"No sentences for category '{category}'.", nameof(category));
        var sentence = Slot().Replace(random.Pick(templates), m => random.Pick(SlotFillers.Values[m.Groups[1].Value]));
        return char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Slot();
}
