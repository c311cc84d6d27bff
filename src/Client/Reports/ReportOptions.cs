namespace Orchestrator.Client.Reports;

/// <summary>What the user picks for a results report.</summary>
/// <param name="Compare">Pairs of configurations whose paired UA differences to draw (A - B); empty: each Table 2 row's coattention - late fusion.</param>
/// <param name="Curves">Runs whose learning curves to draw; empty: each configuration's first fold, repeat 1.</param>
public sealed record ReportOptions(IReadOnlyList<(string A, string B)> Compare, IReadOnlyList<CurveRun> Curves)
{
    public static ReportOptions Default { get; } = new([], []);

    /// <summary>
    /// Parses <c>--compare</c>'s "A,B": two configuration keys split at the comma outside brackets
    /// (a key's settings hold commas: <c>late:T+F[lr=0.0001,width=64]</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Not two keys.</exception>
    public static (string A, string B) ParsePair(string text)
    {
        var depth = 0;
        var split = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[') depth++;
            else if (text[i] == ']') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                if (split >= 0) split = -2;
                else if (split == -1) split = i;
            }
        }
        var (a, b) = split > 0 ? (text[..split].Trim(), text[(split + 1)..].Trim()) : ("", "");
        if (a.Length == 0 || b.Length == 0)
            throw new ArgumentException($"--compare {text}: name two configurations, A,B (e.g. late:T+F,late:T+W); the figure draws A - B.");
        return (a, b);
    }
}
