using System.Collections.Concurrent;
using System.Net;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// A stand-in OpenTelemetry collector on loopback: accepts OTLP/HTTP posts (<c>/v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>) and keeps their raw protobuf bodies, in which a string
/// attribute, a log message or a span name appears as its UTF-8 bytes.
/// </summary>
public sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _posts = new();
    private readonly Task _serving;

    public OtlpSink()
    {
        Port = Scrape.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The value of OTEL_EXPORTER_OTLP_ENDPOINT (with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every body received so far, with the path it was posted to.</summary>
    public IReadOnlyCollection<(string Path, byte[] Body)> Posts => _posts;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _posts.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            // An empty Export*ServiceResponse: success.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
