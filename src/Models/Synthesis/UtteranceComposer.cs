namespace Orchestrator.Models.Synthesis;

/// <summary>Chooses sentence, cue pattern and emotional voice for a raw label.</summary>
internal sealed class UtteranceComposer(SyntheticCorpusOptions options)
{
    /// <summary>What <c>xxx</c> (no agreement) utterances are made of: ordinary emotions, half expressed.</summary>
    private static readonly IReadOnlyList<string> Ambiguous = ["ang", "hap", "sad", "fru", "neu"];

    public UtteranceContent Compose(string rawLabel, DeterministicRandom random)
    {
        var (cue, category, emotion) = rawLabel switch
        {
            "neu" or "oth" => (CuePattern.None, rawLabel, ProsodyStyle.Neutral),
            "xxx" => (CuePattern.None, random.Pick(Ambiguous), Style(random.Pick(Ambiguous)).Scaled(random.Uniform(0.2, 0.7))),
            _ => Emotional(rawLabel, random),
        };
        var spoken = SentenceGenerator.Draw(category, random);
        return new UtteranceContent(cue, spoken, Tag(rawLabel, spoken, random), emotion);
    }

    private (CuePattern, string, ProsodyStyle) Emotional(string rawLabel, DeterministicRandom random)
    {
        var draw = random.NextDouble();
        var cue = draw < options.LexicalOnlyShare ? CuePattern.Lexical
            : draw < options.LexicalOnlyShare + options.VocalOnlyShare ? CuePattern.Vocal
            : CuePattern.Both;
        // Lexical-only keeps a trace of the emotion in the voice, as a restrained speaker would.
        var intensity = cue == CuePattern.Lexical ? random.Uniform(0.0, 0.2) : random.Uniform(0.8, 1.2);
        var words = rawLabel == "exc" && random.NextDouble() < 0.5 ? "hap" : rawLabel;
        return (cue, cue == CuePattern.Vocal ? "neu" : words, Style(rawLabel).Scaled(intensity));
    }

    private ProsodyStyle Style(string rawLabel) => options.Styles.GetValueOrDefault(rawLabel, ProsodyStyle.Neutral);

    /// <summary>Non-speech tags appear in transcripts only: Flite never says them, as in IEMOCAP.</summary>
    private static string Tag(string rawLabel, string spoken, DeterministicRandom random)
    {
        var draw = random.NextDouble();
        if (rawLabel is "hap" or "exc" && draw < 0.12)
            return random.NextDouble() < 0.5 ? $"[LAUGHTER] {spoken}" : $"{spoken} [LAUGHTER]";
        if (draw > 0.96) return $"[BREATHING] {spoken}";
        if (draw > 0.95) return $"{spoken} [GARBAGE]";
        return spoken;
    }
}
