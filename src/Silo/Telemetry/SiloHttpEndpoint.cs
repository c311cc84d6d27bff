using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The silo's HTTP port (<c>Orchestrator:Silo:HttpPort</c>): <c>/healthz</c> (200 while the process runs
/// and is not stopping), <c>/readyz</c> (<see cref="SiloReadiness"/>: 200 or 503 with the reason) and
/// <c>/metrics</c> (the Prometheus exporter of the silo's meter provider), and on coordinators the Orleans
/// dashboard at <c>/dashboard</c> (<see cref="SiloDashboard"/>). A Kestrel server of its own, started with
/// the silo's host and stopped with it, so the silo host stays a plain generic host.
/// </summary>
public sealed class SiloHttpEndpoint(IPAddress address, int port, MeterProvider meters, SiloReadiness readiness, IHostApplicationLifetime lifetime, ILoggerFactory logging,
    SiloDashboard? dashboard = null)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address it listens on, once started (the port is a free one when 0 was asked for... never: 0 means off).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(SiloHttpEndpoint).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logging);
        dashboard?.AddServices(builder.Services);
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, context => context.Request.Path == "/metrics", path: null, configureBranchedPipeline: null, optionsName: null);
        app.MapGet("/healthz", () => lifetime.ApplicationStopping.IsCancellationRequested
            ? Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok\n"));
        app.MapGet("/readyz", async (CancellationToken cancellation) => await readiness.ProblemAsync(cancellation) is { } problem
            ? Results.Text(problem + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        dashboard?.Map(app);
        await app.StartAsync(cancellationToken);
        _app = app;
        Address = new Uri(app.Urls.First());
        logging.CreateLogger<SiloHttpEndpoint>().LogInformation("Health and metrics on {Address} (/healthz, /readyz, /metrics{Dashboard})", Address,
            dashboard is null ? "" : $", {SiloDashboard.Path}");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
