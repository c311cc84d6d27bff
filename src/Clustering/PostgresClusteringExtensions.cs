using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;

namespace Orchestrator.Clustering;

/// <summary>
/// Registers PostgreSQL clustering: silos keep the membership table in the Orchestrator
/// database, clients find their gateways there.
/// </summary>
/// <remarks>
/// <see cref="PostgresClusteringOptions"/> are bound from the configuration section
/// <see cref="PostgresClusteringOptions.SectionName"/>, then <c>configure</c> runs; a missing
/// connection string stops start-up with a message naming the setting. The table and the gateway
/// list are singletons that open the database at Orleans' initialisation call and close its
/// connection pool when the host's service provider is disposed.
/// </remarks>
public static class PostgresClusteringExtensions
{
    /// <summary>Keeps this silo's cluster membership in PostgreSQL.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<PostgresClusteringOptions>? configure = null)
    {
        AddOptions(builder.Services, builder.Configuration, configure);
        builder.Services.AddSingleton<IMembershipTable, PostgresMembershipTable>();
        return builder;
    }

    /// <summary>Reads this client's gateways from the membership the silos keep in PostgreSQL.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, Action<PostgresClusteringOptions>? configure = null)
    {
        AddOptions(builder.Services, builder.Configuration, configure);
        builder.Services.AddSingleton<IGatewayListProvider, PostgresGatewayListProvider>();
        return builder;
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration, Action<PostgresClusteringOptions>? configure)
    {
        var options = services.AddOptions<PostgresClusteringOptions>().Bind(configuration.GetSection(PostgresClusteringOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IConfigurationValidator, PostgresClusteringOptionsValidator>();
    }
}
