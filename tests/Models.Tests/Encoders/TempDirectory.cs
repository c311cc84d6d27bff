namespace Orchestrator.Models.Tests.Encoders;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies every file of a fixture folder here.</summary>
    public TempDirectory WithFixture(string folder)
    {
        foreach (var file in Directory.GetFiles(Fixtures.Folder(folder)))
            System.IO.File.Copy(file, File(System.IO.Path.GetFileName(file)));
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
