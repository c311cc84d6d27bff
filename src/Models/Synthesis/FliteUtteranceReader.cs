using System.Runtime.InteropServices;

namespace Orchestrator.Models.Synthesis;

/// <summary>Copies a synthesised Flite utterance (wave and relations) into managed records.</summary>
internal static class FliteUtteranceReader
{
    public static SynthesizedSpeech Read(nint utterance)
    {
        var (wordIndex, words) = ReadWords(utterance);
        var samples = ReadSamples(utterance, out var rate);
        return new SynthesizedSpeech(samples, rate, ClipToAudio(ReadPhones(utterance, wordIndex), samples.Length / (double)rate), words);
    }

    /// <summary>
    /// The audio is the truth: the diphone voice's final pause runs about 0.2 s past its wave, clustergen's
    /// a few ms. Segments are cut at the end of the audio and the last one ends exactly there.
    /// </summary>
    private static List<TimedPhone> ClipToAudio(List<TimedPhone> phones, double duration)
    {
        var kept = phones.Where(p => p.Start < duration).ToList();
        if (kept.Count > 0) kept[^1] = kept[^1] with { End = duration };
        return kept;
    }

    private static float[] ReadSamples(nint utterance, out int sampleRate)
    {
        var wave = Marshal.PtrToStructure<NativeWave>(FliteNative.utt_wave(utterance));
        if (wave.NumChannels != 1) throw new InvalidOperationException($"Flite returned {wave.NumChannels} channels; expected mono.");
        var pcm = new short[wave.NumSamples];
        Marshal.Copy(wave.Samples, pcm, 0, pcm.Length);
        sampleRate = wave.SampleRate;
        return Array.ConvertAll(pcm, s => s / 32768f);
    }

    /// <summary>
    /// Words in order, keyed by their item in SylStructure (the tree word -> syllable -> segment),
    /// which is how segments find their word below.
    /// </summary>
    private static (Dictionary<nint, int> Index, List<string> Words) ReadWords(nint utterance)
    {
        var index = new Dictionary<nint, int>();
        var words = new List<string>();
        for (var word = Head(utterance, "Word"); word != 0; word = FliteNative.item_next(word))
        {
            var spelling = Spelling(word);
            if (spelling.StartsWith('\'') && words.Count > 0)
            {
                // Flite splits "it's" into "it" + "'s"; the dictionary, and so an aligner, has IT'S.
                index[FliteNative.item_as(word, "SylStructure")] = words.Count - 1;
                words[^1] += spelling;
                continue;
            }
            index[FliteNative.item_as(word, "SylStructure")] = words.Count;
            words.Add(spelling);
        }
        return (index, words);
    }

    /// <summary>
    /// Flite renames words for pronunciation ("can't" becomes "cant", past-tense "read" becomes "red"); an
    /// aligner with the CMU dictionary writes what the transcript says. So a word that is its token's only
    /// word takes the token's spelling; tokens that expand to several words (it's = it + 's) keep Flite's.
    /// </summary>
    private static string Spelling(nint word)
    {
        var inToken = FliteNative.item_as(word, "Token");
        var alone = inToken != 0 && FliteNative.item_next(inToken) == 0 && FliteNative.item_prev(inToken) == 0;
        var spelling = alone ? FliteNative.item_feat_string(FliteNative.item_parent(inToken), "name") : FliteNative.item_feat_string(word, "name");
        return Text(spelling).ToUpperInvariant();
    }

    private static List<TimedPhone> ReadPhones(nint utterance, Dictionary<nint, int> wordIndex)
    {
        var phones = new List<TimedPhone>();
        nint previousSyllable = 0;
        var syllable = -1;
        var start = 0.0;
        for (var segment = Head(utterance, "Segment"); segment != 0; segment = FliteNative.item_next(segment))
        {
            var end = (double)FliteNative.item_feat_float(segment, "end");
            var inWord = FliteNative.item_as(segment, "SylStructure"); // null for pauses
            var word = -1;
            var syl = -1;
            if (inWord != 0)
            {
                var syllableItem = FliteNative.item_parent(inWord);
                if (syllableItem != previousSyllable) syllable++;
                previousSyllable = syllableItem;
                word = wordIndex[FliteNative.item_parent(syllableItem)];
                syl = syllable;
            }
            phones.Add(new TimedPhone(Text(FliteNative.item_feat_string(segment, "name")), start, end, word, syl));
            start = end;
        }
        return phones;
    }

    private static nint Head(nint utterance, string relation)
    {
        var r = FliteNative.utt_relation(utterance, relation);
        return r == 0 ? 0 : FliteNative.relation_head(r);
    }

    private static string Text(nint utf8) => Marshal.PtrToStringUTF8(utf8) ?? "";
}
