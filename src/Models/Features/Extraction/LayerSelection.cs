namespace Orchestrator.Models.Features.Extraction;

/// <summary>
/// Which hidden states to keep, as HF numbers them: 0 is the encoder input (embeddings), 1..L the
/// transformer layers. method.md keeps 1..L by default; 0 is an option.
/// </summary>
public static class LayerSelection
{
    /// <summary>The default: every transformer layer, 1..<paramref name="layers"/>.</summary>
    public static int[] Default(int layers) => Enumerable.Range(1, layers).ToArray();

    /// <summary>
    /// Parses <c>all</c> (1..L), <c>all+0</c> or <c>0-L</c> style ranges and lists (<c>1-4,8,12</c>)
    /// against an encoder of <paramref name="layers"/> transformer layers; returns sorted, distinct indices.
    /// </summary>
    /// <exception cref="FormatException">Names the item that is not a layer of this encoder.</exception>
    public static int[] Parse(string? spec, int layers)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return Default(layers);
        var chosen = new SortedSet<int>();
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                chosen.UnionWith(Default(layers));
                continue;
            }
            var bounds = item.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, out _)))
                throw new FormatException($"--layers: '{item}' is not a layer number or range (examples: all, 1-12, 0-12, 4,8,12).");
            var first = int.Parse(bounds[0]);
            var last = int.Parse(bounds[^1]);
            if (first > last) throw new FormatException($"--layers: the range '{item}' runs backwards.");
            if (first < 0 || last > layers)
                throw new FormatException($"--layers: '{item}' is outside 0-{layers}: this encoder has {layers} transformer layers (0 is the embedding output).");
            for (var layer = first; layer <= last; layer++) chosen.Add(layer);
        }
        if (chosen.Count == 0) throw new FormatException("--layers selects no layer.");
        return chosen.ToArray();
    }
}
