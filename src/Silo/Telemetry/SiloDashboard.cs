using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// The Orleans dashboard of a coordinator silo, at <see cref="Path"/> on the silo's HTTP port
/// (<see cref="SiloHttpEndpoint"/>). Its services (the dashboard grain's client, its assets, its log
/// stream) live in the silo host's container, where <see cref="AddTo"/> registers them; the HTTP
/// endpoint's own web application reaches them through <see cref="AddServices"/>, which forwards each
/// of them to the silo host's instance. Worker-only silos and silos without an HTTP port (the embedded
/// cluster of a client command) have no dashboard and host none of its grains.
/// </summary>
public sealed class SiloDashboard
{
    /// <summary>Where the dashboard is served on the silo's HTTP port; its data API is below it (<c>/dashboard/DashboardCounters</c>).</summary>
    public const string Path = "/dashboard";

    private readonly IServiceProvider _silo;
    private readonly IReadOnlyList<Type> _services;

    private SiloDashboard(IServiceProvider silo, IReadOnlyList<Type> services) => (_silo, _services) = (silo, services);

    /// <summary>Registers the dashboard's services, grains and grain service on a coordinator's silo builder.</summary>
    public static void AddTo(ISiloBuilder orleans)
    {
        orleans.AddDashboard();
        // Always profile grain calls: otherwise the dashboard grain switches profiling on silo by silo
        // through the dashboard's grain service, which worker-only silos do not run.
        orleans.Services.Configure<GrainProfilerOptions>(o => o.TraceAlways = true);
    }

    /// <summary>Removes the dashboard's grains from a silo without the dashboard (placement then keeps them where its services are).</summary>
    public static void RemoveGrains(GrainTypeOptions grains) => grains.Classes.RemoveWhere(t => t.Assembly == DashboardAssembly);

    /// <summary>
    /// The dashboard of the silo whose services are <paramref name="siloServices"/> (as registered) and
    /// <paramref name="silo"/> (as built); null when <see cref="AddTo"/> did not register it there.
    /// </summary>
    public static SiloDashboard? Of(IServiceCollection siloServices, IServiceProvider silo)
    {
        var own = siloServices
            .Where(d => d.Lifetime == ServiceLifetime.Singleton && !d.IsKeyedService && !d.ServiceType.IsGenericTypeDefinition && d.ServiceType.Assembly == DashboardAssembly)
            .Select(d => d.ServiceType)
            .Distinct()
            .ToList();
        if (own.Count == 0) return null;
        own.Add(typeof(IOptions<DashboardOptions>));
        return new SiloDashboard(silo, own);
    }

    /// <summary>
    /// Forwards the dashboard's services to the silo host's instances, resolved when first asked for, so
    /// that nothing of Orleans is touched before the silo starts (the endpoint starts before Orleans).
    /// </summary>
    internal void AddServices(IServiceCollection web)
    {
        foreach (var type in _services)
            web.AddSingleton(type, _ => _silo.GetRequiredService(type));
    }

    /// <summary>Maps the dashboard's page, assets and data API at <see cref="Path"/>.</summary>
    internal void Map(WebApplication app) => app.MapOrleansDashboard(Path);

    private static System.Reflection.Assembly DashboardAssembly => typeof(DashboardOptions).Assembly;
}
