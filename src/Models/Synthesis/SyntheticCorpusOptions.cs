using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Synthesis;

/// <summary>What <see cref="SyntheticCorpus.Write"/> produces. The same options give the same bytes.</summary>
public sealed record SyntheticCorpusOptions
{
    /// <summary>Everything random (labels, sentences, speakers' turns, prosody jitter, synthesis noise) derives from it.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Utterances over all labels and sessions. At IEMOCAP's mix about 55 % fall in the 4-class set.
    /// 2000 synthesises in about a minute on one core and gives roughly 220 4-class utterances per session.
    /// </summary>
    public int Utterances { get; init; } = 2000;

    /// <summary>Relative weight of each raw category (codes of <see cref="EmotionLabels.RawCodes"/>).</summary>
    public IReadOnlyDictionary<string, double> LabelWeights { get; init; } = LabelMix.Iemocap;

    /// <summary>Voice change per raw category; categories not listed speak neutrally.</summary>
    public IReadOnlyDictionary<string, ProsodyStyle> Styles { get; init; } = ProsodyStyles.Defaults;

    /// <summary>Share of emotional utterances whose emotion is in the words only (<see cref="CuePattern.Lexical"/>).</summary>
    public double LexicalOnlyShare { get; init; } = 0.3;

    /// <summary>Share of emotional utterances whose emotion is in the voice only (<see cref="CuePattern.Vocal"/>).</summary>
    public double VocalOnlyShare { get; init; } = 0.35;

    /// <summary>Scale of the random per-utterance variation of rate, pitch, range and level; 0 for none.</summary>
    public double Jitter { get; init; } = 1.0;

    /// <summary>4-class utterances written without any alignment file, as IEMOCAP has (Ses03M_impro03_M001).</summary>
    public int UtterancesWithoutAlignment { get; init; } = 2;

    /// <summary>Throws with a message naming the offending option.</summary>
    public void Validate()
    {
        if (Utterances < 1) throw new ArgumentException($"{nameof(Utterances)} must be at least 1 (got {Utterances}).");
        foreach (var (code, weight) in LabelWeights)
        {
            if (!EmotionLabels.RawCodes.Contains(code)) throw new ArgumentException($"{nameof(LabelWeights)}: '{code}' is not an IEMOCAP category.");
            if (weight < 0 || !double.IsFinite(weight)) throw new ArgumentException($"{nameof(LabelWeights)}: weight of '{code}' must be finite and not negative.");
        }
        if (LabelWeights.Values.Sum() <= 0) throw new ArgumentException($"{nameof(LabelWeights)} must give some category a positive weight.");
        if (LexicalOnlyShare < 0 || VocalOnlyShare < 0 || LexicalOnlyShare + VocalOnlyShare > 1)
            throw new ArgumentException($"{nameof(LexicalOnlyShare)} and {nameof(VocalOnlyShare)} must be non-negative and sum to at most 1.");
        if (Jitter < 0) throw new ArgumentException($"{nameof(Jitter)} must not be negative.");
        if (UtterancesWithoutAlignment < 0) throw new ArgumentException($"{nameof(UtterancesWithoutAlignment)} must not be negative.");
    }
}
