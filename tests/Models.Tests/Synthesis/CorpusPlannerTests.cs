using System.Text.RegularExpressions;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>The plan decides labels, names, words and cues without Flite; these run in milliseconds.</summary>
public sealed partial class CorpusPlannerTests
{
    private static readonly IReadOnlyList<PlannedUtterance> Default = CorpusPlanner.Plan(new SyntheticCorpusOptions());

    [Fact]
    public void Plan_MixesLabelsInIemocapsProportions()
    {
        var fourClass = Default.Count(p => EmotionLabels.FromRaw(p.RawLabel) is not null);

        Assert.Equal(2000, Default.Count);
        Assert.InRange(fourClass / 2000.0, 5531 / 10039.0 - 0.005, 5531 / 10039.0 + 0.005);
        Assert.InRange(Default.Count(p => p.RawLabel == "xxx"), 495, 505); // 2507 / 10039 of 2000 = 499.4
        Assert.Contains(Default, p => p.RawLabel == "exc");
        Assert.Contains(Default, p => p.RawLabel == "sur");
        Assert.All(Enumerable.Range(1, 5), s => Assert.Equal(400, Default.Count(p => p.Session == s)));
    }

    [Fact]
    public void Plan_NamesDialogsAndUtterancesAsIemocapDoes()
    {
        foreach (var p in Default)
        {
            Assert.Matches(UtteranceId(), p.Id);
            Assert.Equal(p.Dialog, p.Id[..p.Id.LastIndexOf('_')]);
            Assert.Equal(p.Id[^4], p.Speaker.Gender);
            Assert.Equal($"Ses{p.Session:00}", p.Id[..5]);
            Assert.Equal(p.Session, p.Speaker.Session);
        }
        // Per dialog and gender, turns are numbered 000, 001, ... in order.
        foreach (var turns in Default.GroupBy(p => (p.Dialog, p.Speaker.Gender)))
            Assert.Equal(Enumerable.Range(0, turns.Count()).Select(i => $"{i:000}"), turns.Select(p => p.Id[^3..]));
    }

    [Fact]
    public void Plan_PutsEmotionInWordsOnlyVoiceOnlyOrBoth_SoNeitherModalitySuffices()
    {
        var emotional = Default.Where(p => p.RawLabel is "ang" or "hap" or "exc" or "sad").ToList();
        double Share(CuePattern cue) => emotional.Count(p => p.Cue == cue) / (double)emotional.Count;

        Assert.InRange(Share(CuePattern.Lexical), 0.25, 0.35);
        Assert.InRange(Share(CuePattern.Vocal), 0.30, 0.40);
        Assert.InRange(Share(CuePattern.Both), 0.30, 0.40);
        Assert.All(Default.Where(p => p.RawLabel == "neu"), p => Assert.Equal(CuePattern.None, p.Cue));
        Assert.All(emotional.Where(p => p.Cue == CuePattern.Vocal), p => Assert.True(IsFrom("neu", p.SpokenText), p.SpokenText));
        Assert.All(emotional.Where(p => p.Cue != CuePattern.Vocal), p => Assert.False(IsFrom("neu", p.SpokenText), p.SpokenText));
    }

    [Fact]
    public void Plan_SpeaksLexicalOnlyUtterancesInANearlyNeutralVoice()
    {
        var plan = CorpusPlanner.Plan(new SyntheticCorpusOptions { Jitter = 0 });
        var angry = plan.Where(p => p.RawLabel == "ang").ToList();
        double Gain(PlannedUtterance p) => p.Prosody.LevelDb - p.Speaker.Habits.LevelDb; // angry is +5 dB at full intensity

        Assert.All(plan.Where(p => p.RawLabel == "neu"), p => Assert.Equal(p.Speaker.Habits, p.Prosody));
        Assert.All(angry.Where(p => p.Cue == CuePattern.Lexical), p => Assert.InRange(Gain(p), 0, 1.0));
        Assert.All(angry.Where(p => p.Cue != CuePattern.Lexical), p => Assert.InRange(Gain(p), 4.0, 6.0));
    }

    [Fact]
    public void Plan_DrawsManyDifferentSentencesPerClass()
    {
        foreach (var label in new[] { "ang", "hap", "sad", "neu" })
            Assert.True(Default.Where(p => p.RawLabel == label).Select(p => p.SpokenText).Distinct().Count() > 60, label);
    }

    [Fact]
    public void Plan_TagsSomeTranscriptsButNeverSpeaksTheTags()
    {
        Assert.Contains(Default, p => p.Transcript.Contains("[LAUGHTER]"));
        Assert.Contains(Default, p => p.Transcript.Contains("[BREATHING]"));
        Assert.All(Default, p => Assert.DoesNotContain("[", p.SpokenText));
        Assert.All(Default, p => Assert.Equal(p.SpokenText, Tags().Replace(p.Transcript, "").Trim()));
    }

    [Fact]
    public void Plan_LeavesTheRequestedFourClassUtterancesWithoutAlignment()
    {
        var plan = CorpusPlanner.Plan(new SyntheticCorpusOptions { Utterances = 300, UtterancesWithoutAlignment = 3 });

        var missing = plan.Where(p => !p.HasAlignment).ToList();
        Assert.Equal(3, missing.Count);
        Assert.All(missing, p => Assert.NotNull(EmotionLabels.FromRaw(p.RawLabel)));
    }

    [Fact]
    public void Plan_IsTheSameForTheSameSeed_AndDiffersForAnother()
    {
        var again = CorpusPlanner.Plan(new SyntheticCorpusOptions());
        var other = CorpusPlanner.Plan(new SyntheticCorpusOptions { Seed = 2 });

        Assert.Equal(Default.Select(Describe), again.Select(Describe));
        Assert.NotEqual(Default.Select(p => (p.RawLabel, p.SpokenText)), other.Select(p => (p.RawLabel, p.SpokenText)));
    }

    /// <summary>Every field, evaluator lines included (record equality would compare that list by reference).</summary>
    private static string Describe(PlannedUtterance p) => $"{p} {string.Join('|', p.Annotation.Lines)}";

    [Fact]
    public void InvalidOptions_AreRefusedNamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => CorpusPlanner.Plan(new SyntheticCorpusOptions
        {
            LabelWeights = new Dictionary<string, double> { ["joy"] = 1 },
        }));

        Assert.Contains("LabelWeights", error.Message);
        Assert.Contains("joy", error.Message);
    }

    private static bool IsFrom(string category, string sentence) =>
        SentenceBank.Templates[category].Any(t => Regex.IsMatch(sentence, "^" + Regex.Replace(Regex.Escape(t), @"\\\{\w+}", ".+") + "$", RegexOptions.IgnoreCase));

    [GeneratedRegex(@"^Ses0[1-5][FM]_(impro\d\d|script\d\d_\d)_[FM]\d{3}$")]
    private static partial Regex UtteranceId();

    [GeneratedRegex(@"\[[A-Z]+\]")]
    private static partial Regex Tags();
}
