namespace Orchestrator.Models.Grids;

/// <summary>
/// A grid file that cannot be run, located the way editors and compilers do
/// (<c>grids/paper.yaml:12:5: configurations[3].model: 'lstm' is not one of ...</c>), so a sweep
/// is refused before its first run rather than failing on its 600th.
/// </summary>
public sealed class GridException : Exception
{
    /// <param name="sourceName">The file, as given to <see cref="GridFile.Load"/> or <see cref="GridFile.Parse"/>.</param>
    /// <param name="line">1-based line of the offending node.</param>
    /// <param name="column">1-based column of the offending node.</param>
    /// <param name="key">Where in the grid, e.g. <c>configurations[3].model</c>; null for YAML syntax errors.</param>
    /// <param name="problem">What is wrong and, where it helps, what would be right.</param>
    /// <param name="inner">The YamlDotNet or validation error behind it, if any.</param>
    public GridException(string sourceName, int line, int column, string? key, string problem, Exception? inner = null)
        : base($"{sourceName}:{line}:{column}: {(key is null ? "" : $"{key}: ")}{problem}", inner)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string SourceName { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>Where in the grid (<c>configurations[3].model</c>); null for YAML syntax errors.</summary>
    public string? Key { get; }

    /// <summary>The message without its location.</summary>
    public string Problem { get; }
}
