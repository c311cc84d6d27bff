namespace Orchestrator.Models.Synthesis;

/// <summary>How many utterances of each raw category a corpus gets.</summary>
public static class LabelMix
{
    /// <summary>
    /// IEMOCAP's own consensus-label counts (10039 utterances; 5531 in the 4-class set), used as weights
    /// so that a reader meets the same share of labels the method drops (fru, xxx, ...) as on the real set.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> Iemocap = new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        ["neu"] = 1708, ["exc"] = 1041, ["hap"] = 595, ["sad"] = 1084, ["ang"] = 1103,
        ["fru"] = 1849, ["sur"] = 107, ["fea"] = 40, ["dis"] = 2, ["oth"] = 3, ["xxx"] = 2507,
    };

    /// <summary>
    /// Exactly <paramref name="total"/> labels in proportion to <paramref name="weights"/> (largest remainder,
    /// ties broken by code), in code order. Exact counts keep a small corpus' mix predictable.
    /// </summary>
    public static List<string> Allocate(IReadOnlyDictionary<string, double> weights, int total)
    {
        var sum = weights.Values.Sum();
        var shares = weights.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => (Code: w.Key, Exact: w.Value / sum * total)).ToList();
        var counts = shares.ToDictionary(s => s.Code, s => (int)Math.Floor(s.Exact));
        var remaining = total - counts.Values.Sum();
        foreach (var share in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Code, StringComparer.Ordinal).Take(remaining))
            counts[share.Code]++;
        return shares.SelectMany(s => Enumerable.Repeat(s.Code, counts[s.Code])).ToList();
    }
}
