namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>Fresh folders under the system temp folder, one per test or fixture.</summary>
internal static class TestDirectory
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
