namespace Orchestrator.Models.Synthesis;

/// <summary>Default voice change per raw IEMOCAP category (rate = duration factor, pitch and range multiply the
/// voice's F0 mean and deviation, level in dB).</summary>
public static class ProsodyStyles
{
    public static readonly IReadOnlyDictionary<string, ProsodyStyle> Defaults = new SortedDictionary<string, ProsodyStyle>(StringComparer.Ordinal)
    {
        ["neu"] = ProsodyStyle.Neutral,
        ["hap"] = new(0.9, 1.2, 1.6, 2),
        ["exc"] = new(0.88, 1.25, 1.7, 3), // merged into happy: a slightly stronger happy
        ["ang"] = new(0.85, 1.15, 1.8, 5),
        ["sad"] = new(1.25, 0.88, 0.4, -5),
        ["fru"] = new(0.95, 1.05, 1.3, 2), // between neutral and angry, as annotators confuse them
        ["sur"] = new(1.0, 1.3, 2.0, 1),
        ["fea"] = new(0.9, 1.2, 0.6, -2),
        ["dis"] = new(1.15, 0.95, 0.8, -1),
        ["oth"] = ProsodyStyle.Neutral,
        ["xxx"] = ProsodyStyle.Neutral, // no agreement: the planner blends a random style instead
    };
}
