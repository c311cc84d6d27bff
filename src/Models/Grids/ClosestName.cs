namespace Orchestrator.Models.Grids;

/// <summary>The "did you mean" of messages: the known name a mistyped one is closest to, when it is close.</summary>
public static class ClosestName
{
    /// <summary>
    /// The candidate nearest to <paramref name="name"/> in edit distance, compared case-insensitively,
    /// when it is within a third of the name's length (2 edits for names of 4 to 8 letters, so
    /// <c>stratifed</c> finds <c>stratified</c>; 1 for names of up to 3, so <c>xy</c> finds no <c>lr</c>);
    /// null when none is.
    /// </summary>
    public static string? Of(string name, IEnumerable<string> candidates)
    {
        var limit = name.Length <= 3 ? 1 : Math.Max(2, name.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>" (did you mean 'x'?)" or "", to append to a message.</summary>
    public static string Hint(string name, IEnumerable<string> candidates) =>
        Of(name, candidates) is { } close ? $" (did you mean '{close}'?)" : "";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
