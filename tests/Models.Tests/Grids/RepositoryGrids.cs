namespace Orchestrator.Models.Tests.Grids;

/// <summary>The grid files shipped in the repository's <c>grids/</c> folder.</summary>
internal static class RepositoryGrids
{
    /// <summary>The path of <c>grids/<paramref name="file"/></c>.</summary>
    public static string Path(string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Orchestrator.sln"))) return System.IO.Path.Combine(folder.FullName, "grids", file);
        throw new InvalidOperationException($"No Orchestrator.sln above {AppContext.BaseDirectory}.");
    }
}
