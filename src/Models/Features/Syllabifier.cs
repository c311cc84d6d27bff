using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features;

/// <summary>
/// Syllables from the phone and word alignments, for corpora without a syllable alignment
/// (method.md section 3: "grouping each word's phones around their vowel nuclei").
/// </summary>
/// <remarks>
/// <para>
/// A phone belongs to a word when its frames lie within the word's frames. Within a word every
/// ARPAbet vowel (AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW, stress digit or not) is the nucleus
/// of one syllable. Consonants before the first nucleus join the first syllable and consonants after
/// the last join the last. Between two nuclei a single consonant starts the following syllable
/// (ha-ppy: HH AE | P IY); with two or more, the first closes the preceding syllable and the rest start
/// the following (an-gry: AE NG | G R IY). A word without a vowel is one syllable.
/// </para>
/// <para>
/// Output rows span their phones' frames and are labelled with the phone names joined by spaces, as
/// the synthetic corpus' <c>.syseg</c> writes them. Silence and noise words become one silence
/// syllable each, labelled as the word, so that keeping silence gives the same kind of stream as a
/// corpus syllable alignment with its <c>SIL</c> rows; silence phones are never part of a syllable.
/// A speech word with no phone inside it becomes one syllable labelled with the word. Without phones
/// there are no syllables.
/// </para>
/// </remarks>
public static class Syllabifier
{
    private static readonly HashSet<string> Vowels = new(StringComparer.OrdinalIgnoreCase)
        { "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW" };

    /// <summary>The syllables of an utterance, in word order.</summary>
    /// <param name="phones">The phone alignment; a label's first field is the phone (<c>AH</c>, or <c>AH B K i</c> with context).</param>
    /// <param name="words">The word alignment.</param>
    public static List<AlignedSegment> Syllabify(IReadOnlyList<AlignedSegment> phones, IReadOnlyList<AlignedSegment> words)
    {
        ArgumentNullException.ThrowIfNull(phones);
        ArgumentNullException.ThrowIfNull(words);
        var syllables = new List<AlignedSegment>();
        if (phones.Count == 0) return syllables;

        foreach (var word in words)
        {
            if (word.IsSilence)
            {
                syllables.Add(word);
                continue;
            }
            var inside = phones.Where(p => !p.IsSilence && p.StartFrame >= word.StartFrame && p.EndFrame <= word.EndFrame)
                .OrderBy(p => p.StartFrame).ToList();
            if (inside.Count == 0)
            {
                syllables.Add(word);
                continue;
            }
            foreach (var (first, last) in Split(inside.Select(p => PhoneName(p.Label)).ToList()))
            {
                var label = string.Join(' ', inside.GetRange(first, last - first + 1).Select(p => PhoneName(p.Label)));
                syllables.Add(new AlignedSegment(label, inside[first].StartFrame, inside[last].EndFrame, IsSilence: false));
            }
        }
        return syllables;
    }

    /// <summary>The syllables of one word's phones as inclusive index ranges, by the rule in the remarks.</summary>
    public static List<(int First, int Last)> Split(IReadOnlyList<string> phones)
    {
        ArgumentNullException.ThrowIfNull(phones);
        var nuclei = Enumerable.Range(0, phones.Count).Where(i => IsVowel(phones[i])).ToList();
        if (nuclei.Count == 0) return phones.Count == 0 ? [] : [(0, phones.Count - 1)];

        var syllables = new List<(int First, int Last)>();
        var start = 0;
        for (var k = 0; k + 1 < nuclei.Count; k++)
        {
            var consonants = nuclei[k + 1] - nuclei[k] - 1;
            var next = consonants <= 1 ? nuclei[k] + 1 : nuclei[k] + 2;   // first phone of syllable k + 1
            syllables.Add((start, next - 1));
            start = next;
        }
        syllables.Add((start, phones.Count - 1));
        return syllables;
    }

    /// <summary>Whether an ARPAbet phone is a vowel; a trailing stress digit (<c>AH0</c>) is ignored.</summary>
    public static bool IsVowel(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var name = PhoneName(phone).TrimEnd('0', '1', '2');
        return Vowels.Contains(name);
    }

    /// <summary>The phone of a label: its first field (<c>AH B K i</c> -> <c>AH</c>).</summary>
    private static string PhoneName(string label)
    {
        var space = label.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? label : label[..space];
    }
}
