using System.Text.RegularExpressions;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Encoders.BuiltIn;

/// <summary>
/// The WordPiece vocabulary of the built-in text encoder: BERT's special tokens, every word of the
/// synthetic corpus' sentence bank (so synthetic transcripts tokenise to whole words, as a real
/// vocabulary would tokenise common words), and single characters with their <c>##</c>
/// continuations so that any other English text still tokenises without [UNK].
/// </summary>
public static partial class BuiltInVocabulary
{
    public static IReadOnlyList<string> Tokens { get; } = Build();

    private static List<string> Build()
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var characters = "abcdefghijklmnopqrstuvwxyz0123456789".Select(c => c.ToString())
            .Concat("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Select(c => c.ToString())).ToList();
        tokens.AddRange(characters);
        tokens.AddRange(characters.Where(c => char.IsLetterOrDigit(c[0])).Select(c => "##" + c));
        var sentences = SentenceBank.Templates.Values.SelectMany(t => t).Concat(SlotFillers.Values.Values.SelectMany(v => v));
        var words = sentences.SelectMany(s => Word().Matches(s.ToLowerInvariant()).Select(m => m.Value))
            .Where(w => w.Length > 1).Distinct().Order(StringComparer.Ordinal);
        tokens.AddRange(words.Where(w => !tokens.Contains(w)));
        return tokens;
    }

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex Word();
}
