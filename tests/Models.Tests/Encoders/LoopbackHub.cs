using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>
/// A loopback stand-in for the hub: <c>/{org}/{name}/resolve/{revision}/{file}</c> serves files of
/// the fixture folders. Weight files behave like LFS files: a 302 carrying X-Linked-Etag (SHA-256)
/// and X-Linked-Size to a CDN path that honours Range requests.
/// </summary>
internal sealed class LoopbackHub : IDisposable
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _repositories;
    private readonly Task _loop;

    public LoopbackHub(Dictionary<string, string> repositories)
    {
        _repositories = repositories;
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    /// <summary>Every request as "METHOD path [range]".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, the CDN serves this file with its last byte flipped (the hash no longer matches).</summary>
    public string? CorruptFile { get; set; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { Handle(context); }
            catch (HttpListenerException) { }
            finally { context.Response.Close(); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var range = context.Request.Headers["Range"];
        Requests.Enqueue($"{context.Request.HttpMethod} {path}{(range is null ? "" : " " + range)}");
        var parts = path.Trim('/').Split('/');
        var response = context.Response;

        if (parts is [var org, var name, "resolve", _, var file] && Source(org, name, file) is { } resolved)
        {
            response.Headers["X-Repo-Commit"] = Commit;
            if (file.EndsWith(".safetensors") || file.EndsWith(".bin"))
            {
                var bytes = File.ReadAllBytes(resolved);
                response.StatusCode = 302;
                response.Headers["Location"] = $"/cdn/{org}/{name}/{file}";
                response.Headers["X-Linked-Etag"] = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"";
                response.Headers["X-Linked-Size"] = bytes.Length.ToString();
                return;
            }
            Write(response, File.ReadAllBytes(resolved), null);
            return;
        }
        if (parts is ["cdn", var cdnOrg, var cdnName, var cdnFile] && Source(cdnOrg, cdnName, cdnFile) is { } blob)
        {
            var bytes = File.ReadAllBytes(blob);
            if (cdnFile == CorruptFile) bytes[^1] ^= 0xFF;
            Write(response, bytes, range);
            return;
        }
        response.StatusCode = 404;
    }

    private string? Source(string org, string name, string file) =>
        _repositories.TryGetValue($"{org}/{name}", out var folder) && File.Exists(Path.Combine(folder, file)) ? Path.Combine(folder, file) : null;

    private static void Write(HttpListenerResponse response, byte[] bytes, string? range)
    {
        var start = 0;
        if (range is not null && range.StartsWith("bytes=") && int.TryParse(range["bytes=".Length..].TrimEnd('-'), out var from))
        {
            if (from >= bytes.Length) { response.StatusCode = 416; return; }
            start = from;
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }
        response.ContentLength64 = bytes.Length - start;
        response.OutputStream.Write(bytes, start, bytes.Length - start);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
