using Orchestrator.Models.Corpus;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>Small labelled corpora for the protocol tests.</summary>
internal static class Utterances
{
    /// <summary>
    /// Sessions 1..5 of the given sizes, two speakers each, labels cycling through an imbalanced
    /// pattern (ang 1 : hap 3 : sad 2 : neu 4) so stratification has proportions to keep.
    /// </summary>
    public static List<LabelledItem> Corpus(params int[] sessionSizes)
    {
        Emotion[] pattern = [Emotion.Angry, Emotion.Happy, Emotion.Happy, Emotion.Happy, Emotion.Sad, Emotion.Sad,
                             Emotion.Neutral, Emotion.Neutral, Emotion.Neutral, Emotion.Neutral];
        var items = new List<LabelledItem>();
        for (var s = 0; s < sessionSizes.Length; s++)
            for (var i = 0; i < sessionSizes[s]; i++)
            {
                var gender = i % 2 == 0 ? 'F' : 'M';
                items.Add(new LabelledItem($"Ses{s + 1:00}{gender}_impro01_{gender}{i:000}", s + 1, pattern[(i * 7 + s) % pattern.Length], $"Ses{s + 1:00}{gender}"));
            }
        return items;
    }
}
