namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Writes the synthesiser's own timing as a Sphinx-3 forced aligner would have reported it: CMU phone
/// names, context and word position in phone labels, dictionary words with occasional pronunciation
/// variants, <c>&lt;s&gt;</c>/<c>&lt;sil&gt;</c>/<c>&lt;/s&gt;</c> for pauses. Word and syllable rows span exactly
/// their phones' frames.
/// </summary>
public static class AlignmentBuilder
{
    /// <summary>Words the CMU dictionary lists with alternative pronunciations, which Sphinx marks <c>WORD(2)</c>.</summary>
    private static readonly HashSet<string> VariantWords =
        ["THE", "A", "TO", "FOR", "AND", "WHAT", "OF", "YOUR", "WITH", "THAT", "WAS", "FROM", "AT"];

    public static SphinxAlignment Build(SynthesizedSpeech speech, DeterministicRandom random)
    {
        var phones = speech.Phones;
        var totalFrames = (int)Math.Floor(speech.Duration * 100);
        var bounds = FrameQuantizer.Boundaries(phones.Select(p => p.End).ToList(), totalFrames);
        var names = phones.Select(p => SphinxPhone(p.Phone)).ToList();
        var scores = phones.Select((p, i) => -(int)((bounds[i + 1] - bounds[i]) * random.Uniform(p.IsPause ? 1500 : 3000, 9000))).ToList();

        var phoneRows = phones.Select((p, i) => new SphinxRow(bounds[i], bounds[i + 1] - 1, scores[i], PhoneLabel(phones, names, i))).ToList();
        var wordRows = Runs(phones, p => p.Word, bounds, scores, (first, last) => WordLabel(speech, first, last, random));
        var syllableRows = Runs(phones, p => p.Syllable, bounds, scores,
            (first, last) => phones[first].IsPause ? "SIL" : string.Join(' ', names.GetRange(first, last - first + 1)));
        return new SphinxAlignment(phoneRows, wordRows, syllableRows);
    }

    /// <summary>Flite's CMU phones as CMUdict writes them: no reduced <c>ax</c>/<c>axr</c>, upper case.</summary>
    public static string SphinxPhone(string flitePhone) => flitePhone switch
    {
        "pau" => "SIL",
        "ax" => "AH",
        "axr" => "ER",
        _ => flitePhone.ToUpperInvariant(),
    };

    /// <summary><c>PHONE LEFT RIGHT POS</c>: the phone, its neighbours and its position in the word (b/i/e/s).</summary>
    private static string PhoneLabel(IReadOnlyList<TimedPhone> phones, List<string> names, int i)
    {
        if (phones[i].IsPause) return "SIL";
        var left = i > 0 ? names[i - 1] : "SIL";
        var right = i + 1 < phones.Count ? names[i + 1] : "SIL";
        var starts = i == 0 || phones[i - 1].Word != phones[i].Word;
        var ends = i + 1 == phones.Count || phones[i + 1].Word != phones[i].Word;
        var position = (starts, ends) switch { (true, true) => "s", (true, false) => "b", (false, true) => "e", _ => "i" };
        return $"{names[i]} {left} {right} {position}";
    }

    private static string WordLabel(SynthesizedSpeech speech, int first, int last, DeterministicRandom random)
    {
        var phone = speech.Phones[first];
        if (!phone.IsPause)
        {
            var word = speech.Words[phone.Word];
            return VariantWords.Contains(word) && random.NextDouble() < 0.2 ? $"{word}(2)" : word;
        }
        if (first == 0) return "<s>";
        return last == speech.Phones.Count - 1 ? "</s>" : "<sil>";
    }

    /// <summary>One row per run of phones sharing a key; every pause is a run of its own.</summary>
    private static List<SphinxRow> Runs(
        IReadOnlyList<TimedPhone> phones, Func<TimedPhone, int> key, int[] bounds, List<int> scores, Func<int, int, string> label)
    {
        var rows = new List<SphinxRow>();
        for (var first = 0; first < phones.Count;)
        {
            var last = first;
            while (!phones[first].IsPause && last + 1 < phones.Count && !phones[last + 1].IsPause && key(phones[last + 1]) == key(phones[first]))
                last++;
            rows.Add(new SphinxRow(bounds[first], bounds[last + 1] - 1, scores.GetRange(first, last - first + 1).Sum(), label(first, last)));
            first = last + 1;
        }
        return rows;
    }
}
