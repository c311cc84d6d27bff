namespace Orchestrator.Models.Tests.Audio;

/// <summary>A fresh folder per test class instance, deleted afterwards, for files the reader opens by path.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("orchestrator-audio-").FullName;

    /// <summary>Writes <paramref name="bytes"/> to a file named <paramref name="name"/> and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
