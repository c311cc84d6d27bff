namespace Orchestrator.Silo.Tests;

/// <summary>An entry of deploy/metrics.txt, and the series names Prometheus scrapes for it.</summary>
public sealed record CatalogMetric(string Name, string Type, string Meaning)
{
    /// <summary>Listed as exported by GPU workers only: this machine has none.</summary>
    public bool GpuOnly => Meaning.Contains("(GPU workers only", StringComparison.Ordinal);

    public IReadOnlyList<string> SeriesNames => Type == "histogram" ? [$"{Name}_bucket", $"{Name}_sum", $"{Name}_count"] : [Name];
}

/// <summary>deploy/metrics.txt of the repository the tests were built from.</summary>
public static class MetricsFile
{
    public static IReadOnlyList<CatalogMetric> Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "deploy", "metrics.txt"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return [.. File.ReadAllLines(Path.Combine(directory.FullName, "deploy", "metrics.txt"))
            .Where(l => l.Trim() is { Length: > 0 } t && !t.StartsWith('#'))
            .Select(l =>
            {
                var parts = l.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                return new CatalogMetric(parts[0], parts[1], l[(l.IndexOf("--", StringComparison.Ordinal) + 2)..].Trim());
            })];
    }
}
