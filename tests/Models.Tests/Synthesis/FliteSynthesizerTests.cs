using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

public sealed class FliteSynthesizerTests
{
    [Theory]
    [InlineData(FliteVoice.Slt)]
    [InlineData(FliteVoice.Awb)]
    [InlineData(FliteVoice.Kal16)]
    public void Synthesize_TimesEveryPhoneContiguouslyToTheEndOfTheAudio(FliteVoice voice)
    {
        var speech = FliteSynthesizer.Shared.Synthesize("Hello there, how are you today?", voice, ProsodyStyle.Neutral, noiseSeed: 3);

        Assert.Equal(16000, speech.SampleRate);
        Assert.Equal(["HELLO", "THERE", "HOW", "ARE", "YOU", "TODAY"], speech.Words);
        Assert.Equal(0, speech.Phones[0].Start);
        for (var i = 1; i < speech.Phones.Count; i++) Assert.Equal(speech.Phones[i - 1].End, speech.Phones[i].Start);
        Assert.All(speech.Phones, p => Assert.True(p.End > p.Start, $"{p.Phone} is empty"));
        Assert.InRange(speech.Phones[^1].End, speech.Duration - 0.02, speech.Duration + 0.02);
        Assert.True(speech.Phones[0].IsPause && speech.Phones[^1].IsPause);
        Assert.Contains(speech.Phones, p => p.IsPause && p != speech.Phones[0] && p != speech.Phones[^1]); // the comma
        Assert.Equal(8, speech.Phones.Where(p => !p.IsPause).Select(p => p.Syllable).Distinct().Count()); // hel-lo there how are you to-day
    }

    [Fact]
    public void Synthesize_GivesTheSameSamplesForTheSameSeed_WhateverCameBefore()
    {
        var first = FliteSynthesizer.Shared.Synthesize("I can't believe you did this again!", FliteVoice.Slt, ProsodyStyle.Neutral, noiseSeed: 11);
        FliteSynthesizer.Shared.Synthesize("Something else entirely.", FliteVoice.Slt, ProsodyStyles.Defaults["sad"], noiseSeed: 12);
        var again = FliteSynthesizer.Shared.Synthesize("I can't believe you did this again!", FliteVoice.Slt, ProsodyStyle.Neutral, noiseSeed: 11);
        var otherNoise = FliteSynthesizer.Shared.Synthesize("I can't believe you did this again!", FliteVoice.Slt, ProsodyStyle.Neutral, noiseSeed: 12);

        Assert.Equal(first.Samples, again.Samples);
        Assert.NotEqual(first.Samples, otherNoise.Samples);
    }

    [Fact]
    public void Synthesize_SpellsContractionsAsTheDictionaryDoes()
    {
        var speech = FliteSynthesizer.Shared.Synthesize("I can't believe it.", FliteVoice.Kal16, ProsodyStyle.Neutral, noiseSeed: 1);

        Assert.Equal(["I", "CAN'T", "BELIEVE", "IT"], speech.Words);
    }

    [Fact]
    public void EverySentenceOfTheBank_IsSpokenWordForWord_SoTranscriptsMatchTheAlignment()
    {
        var mismatches = new List<string>();
        foreach (var sentence in AllFilledSentences())
        {
            var expected = sentence.ToUpperInvariant().Split(' ').Select(w => w.Trim(',', '.', '!', '?')).Where(w => w.Length > 0);

            // Text analysis is shared by all voices; the diphone voice is the fastest to ask.
            var spoken = FliteSynthesizer.Shared.Synthesize(sentence, FliteVoice.Kal16, ProsodyStyle.Neutral, noiseSeed: 1).Words;

            if (!expected.SequenceEqual(spoken)) mismatches.Add($"{sentence} -> {string.Join(' ', spoken)}");
        }

        Assert.Empty(mismatches);
    }

    /// <summary>Every template once, its slots filled in rotation through the filler values.</summary>
    private static IEnumerable<string> AllFilledSentences()
    {
        var turn = 0;
        foreach (var template in SentenceBank.Templates.Values.SelectMany(t => t))
        {
            turn++;
            yield return System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m =>
            {
                var values = SlotFillers.Values[m.Groups[1].Value];
                return values[turn % values.Count];
            });
        }
    }
}
