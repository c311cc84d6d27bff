using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>
/// SHA-256 over a sequence of labelled parts (files and strings), hex-encoded. Parts are framed
/// with their label and length, so that moving bytes from one part to the next changes the hash.
/// </summary>
public sealed class ContentHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Adds a string part.</summary>
    public ContentHash Add(string label, string value)
    {
        Frame(label, Encoding.UTF8.GetByteCount(value));
        _hash.AppendData(Encoding.UTF8.GetBytes(value));
        return this;
    }

    /// <summary>Adds a file's bytes, or a marker saying it is absent.</summary>
    public ContentHash AddFile(string label, string path)
    {
        if (!File.Exists(path)) return Add(label, "<absent>");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Frame(label, stream.Length);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) _hash.AppendData(buffer, 0, read);
        return this;
    }

    /// <summary>The hex digest (the object can no longer be used).</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <inheritdoc />
    public void Dispose() => _hash.Dispose();

    private void Frame(string label, long length)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes($"\n{label}:{length}\n"));
    }
}
