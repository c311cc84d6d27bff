namespace Orchestrator.Models.Corpus;

/// <summary>The four classes of the method; IEMOCAP's <c>exc</c> is merged into <see cref="Happy"/>.</summary>
public enum Emotion
{
    Angry,
    Happy,
    Sad,
    Neutral,
}

/// <summary>Maps IEMOCAP's category codes to the four classes.</summary>
public static class EmotionLabels
{
    /// <summary>The class codes in <see cref="Emotion"/> order, as reports print them.</summary>
    public static readonly IReadOnlyList<string> Codes = ["ang", "hap", "sad", "neu"];

    /// <summary>Every category code IEMOCAP's EmoEvaluation files use.</summary>
    public static readonly IReadOnlySet<string> RawCodes =
        new HashSet<string> { "neu", "hap", "exc", "sad", "ang", "fru", "sur", "fea", "dis", "oth", "xxx" };

    /// <summary>The 4-class label of a raw category, or null for a category the method drops.</summary>
    public static Emotion? FromRaw(string raw) => raw switch
    {
        "ang" => Emotion.Angry,
        "hap" or "exc" => Emotion.Happy,
        "sad" => Emotion.Sad,
        "neu" => Emotion.Neutral,
        _ => null,
    };

    public static string Code(this Emotion emotion) => Codes[(int)emotion];
}
