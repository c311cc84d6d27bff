namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Invents evaluator votes consistent with a consensus label: a majority for it (none for <c>xxx</c>)
/// and dimensional votes around the category's usual valence, activation and dominance.
/// </summary>
internal static class EmoAnnotationGenerator
{
    private static readonly IReadOnlyDictionary<string, (string Name, string Confusion, double V, double A, double D)> Categories =
        new Dictionary<string, (string, string, double, double, double)>
        {
            ["neu"] = ("Neutral state", "fru", 3.0, 2.5, 2.5),
            ["hap"] = ("Happiness", "exc", 4.0, 3.0, 3.0),
            ["exc"] = ("Excited", "hap", 4.0, 3.5, 3.0),
            ["sad"] = ("Sadness", "neu", 2.0, 2.0, 2.0),
            ["ang"] = ("Anger", "fru", 1.5, 3.5, 3.5),
            ["fru"] = ("Frustration", "ang", 2.0, 3.0, 3.0),
            ["sur"] = ("Surprise", "exc", 3.5, 3.5, 3.0),
            ["fea"] = ("Fear", "sad", 2.0, 3.5, 2.0),
            ["dis"] = ("Disgust", "ang", 2.0, 3.0, 3.5),
            ["oth"] = ("Other", "neu", 3.0, 3.0, 3.0),
            ["xxx"] = ("Neutral state", "fru", 2.5, 3.0, 3.0),
        };

    private static readonly IReadOnlyList<string> Disagreeing = ["neu", "fru", "ang", "sad", "exc", "hap", "sur"];

    public static EmoAnnotation Generate(string rawLabel, DeterministicRandom random)
    {
        var category = Categories[rawLabel];
        var evaluators = Enumerable.Range(1, 6).ToList();
        random.Shuffle(evaluators);
        var chosen = evaluators.Take(3).Order().ToList();

        var votes = rawLabel == "xxx" ? DisagreeingVotes(random) :
            [rawLabel, rawLabel, random.NextDouble() < 0.5 ? rawLabel : category.Confusion];
        random.Shuffle(votes);

        var lines = chosen.Select((e, i) => $"C-E{e}:\t{Categories[votes[i]].Name};\t()").ToList();
        var dims = chosen.Take(2).Select(e => (Evaluator: e, V: Vote(category.V, random), A: Vote(category.A, random), D: Vote(category.D, random))).ToList();
        lines.AddRange(dims.Select(d => $"A-E{d.Evaluator}:\tval {d.V}; act {d.A}; dom  {d.D};\t()"));
        return new EmoAnnotation(dims.Average(d => d.V), dims.Average(d => d.A), dims.Average(d => d.D), lines);
    }

    /// <summary>Three different categories: no majority, which is what <c>xxx</c> means.</summary>
    private static List<string> DisagreeingVotes(DeterministicRandom random)
    {
        var pool = Disagreeing.ToList();
        random.Shuffle(pool);
        return pool.Take(3).ToList();
    }

    private static int Vote(double centre, DeterministicRandom random) =>
        Math.Clamp((int)Math.Round(centre + 0.6 * random.NextGaussian()), 1, 5);
}
