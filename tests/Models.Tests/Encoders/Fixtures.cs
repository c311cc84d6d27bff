namespace Orchestrator.Models.Tests.Encoders;

/// <summary>Locates <c>shared/fixtures/hf-tiny</c>: ORCHESTRATOR_SHARED, else the first ancestor of the test binaries holding it.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The hf-tiny folder.</summary>
    public static string HfTiny => Root.Value;

    /// <summary>A fixture sub-folder such as <c>wav2vec2</c> or <c>bert-prefixed</c>.</summary>
    public static string Folder(string name) => Path.Combine(HfTiny, name);

    /// <summary>A file in a fixture sub-folder.</summary>
    public static string File(string folder, string file) => Path.Combine(HfTiny, folder, file);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_SHARED") is { Length: > 0 } shared)
        {
            var fromVariable = Path.Combine(shared, "fixtures", "hf-tiny");
            return Directory.Exists(fromVariable)
                ? fromVariable
                : throw new DirectoryNotFoundException($"ORCHESTRATOR_SHARED={shared} has no fixtures/hf-tiny.");
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "fixtures", "hf-tiny");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"No shared/fixtures/hf-tiny above {AppContext.BaseDirectory}; set ORCHESTRATOR_SHARED to the shared folder.");
    }
}
