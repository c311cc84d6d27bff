using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Orchestrator.Clustering;

/// <summary>
/// A client's list of gateways, read from the membership table the silos keep in PostgreSQL:
/// the silos of <see cref="ClusterOptions.ClusterId"/> that are active and accept clients
/// (<c>proxy_port</c> above 0), as <c>gwy.tcp://address:proxy_port/generation</c>.
/// </summary>
/// <remarks>
/// Orleans asks again every <see cref="GatewayOptions.GatewayListRefreshPeriod"/>, so a new silo
/// is used, and a stopped one dropped, within that period (clients also drop a gateway whose
/// connection fails).
/// </remarks>
public sealed class PostgresGatewayListProvider(
    IOptions<PostgresClusteringOptions> options, IOptions<ClusterOptions> clusterOptions, IOptions<GatewayOptions> gatewayOptions)
    : IGatewayListProvider, IAsyncDisposable
{
    private readonly ClusterDatabase database = new(options.Value.ConnectionString);
    private readonly string clusterId = clusterOptions.Value.ClusterId;

    public TimeSpan MaxStaleness { get; } = gatewayOptions.Value.GatewayListRefreshPeriod;

    [Obsolete("Orleans considers every provider updatable and no longer reads this.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => InitializeGatewayListProviderAsync(CancellationToken.None);

    /// <summary>Opens (and migrates) the database.</summary>
    public Task InitializeGatewayListProviderAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    /// <summary>The gateway URIs of the cluster's active silos; empty while none is active.</summary>
    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT address, proxy_port, generation FROM cluster_members
            WHERE cluster_id = @cluster_id AND status = @active AND proxy_port > 0
            """);
        command.Parameters.AddWithValue("cluster_id", clusterId);
        command.Parameters.AddWithValue("active", nameof(SiloStatus.Active));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var gateways = new List<Uri>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1));
            gateways.Add(SiloAddress.New(endpoint, reader.GetInt32(2)).ToGatewayUri());
        }
        return gateways;
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
