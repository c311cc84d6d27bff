using Orchestrator.Models.Fusion;

namespace Orchestrator.Models.Grids;

/// <summary>The lower-case names keys and grid files give the <see cref="ModelKind"/>s: linear, transformer, late, coattention, concat.</summary>
public static class ModelNames
{
    /// <summary>Every model's name, in <see cref="ModelKind"/> order.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<ModelKind>().Select(Of).ToList();

    /// <summary>"linear, transformer, late, coattention, concat", for messages.</summary>
    public static string Choices => string.Join(", ", All);

    /// <summary>The name of <paramref name="kind"/>.</summary>
    public static string Of(ModelKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The model called <paramref name="name"/> (exactly, in lower case); false when none is.</summary>
    public static bool TryParse(string name, out ModelKind kind)
    {
        foreach (var candidate in Enum.GetValues<ModelKind>())
        {
            if (Of(candidate) != name) continue;
            kind = candidate;
            return true;
        }
        kind = default;
        return false;
    }
}
