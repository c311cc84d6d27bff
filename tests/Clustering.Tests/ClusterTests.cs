using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;
using Orchestrator.Clustering.Tests.Grains;

namespace Orchestrator.Clustering.Tests;

/// <summary>A real cluster: two silos that find each other through the table and a client that finds them through the gateway list.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly List<IHost> _hosts = [];

    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await postgres.DatabaseForAsync<ClusterTests>();

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    [Fact]
    public async Task Two_silos_join_through_the_table_a_client_calls_them_through_the_gateway_list_and_one_survives_the_other()
    {
        var first = await StartSiloAsync();
        var second = await StartSiloAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(ActiveSilos(first) == 2 && ActiveSilos(second) == 2), "both silos see both active");
        var table = await ReadTableAsync();
        Assert.Equal([SiloStatus.Active, SiloStatus.Active], table.Members.Select(m => m.Item1.Status));
        Assert.Equal(new[] { GatewayUriOf(first), GatewayUriOf(second) }.Order(), await GatewaysAsync());

        var client = await StartClientAsync();
        var grains = Enumerable.Range(0, 8).Select(i => client.GetGrain<IWhereaboutsGrain>($"grain-{i}")).ToList();
        var before = await Task.WhenAll(grains.Select(g => g.SiloAsync()));
        Assert.All(before, silo => Assert.Contains(silo, new[] { AddressOf(first), AddressOf(second) }));

        await first.StopAsync();

        Assert.Equal(SiloStatus.Dead, (await ReadTableAsync()).TryGet(SiloAddressOf(first))!.Item1.Status);
        Assert.Equal([GatewayUriOf(second)], await GatewaysAsync());
        var after = await Task.WhenAll(grains.Append(client.GetGrain<IWhereaboutsGrain>("new")).Select(g => g.SiloAsync()));
        Assert.All(after, silo => Assert.Equal(AddressOf(second), silo));
    }

    [Fact]
    public async Task A_silo_without_a_connection_string_refuses_to_start_naming_the_setting()
    {
        var builder = HostBuilder();
        builder.UseOrleans(silo => silo.UsePostgresClustering());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());

        Assert.Contains(PostgresClusteringOptions.SectionName, error.Message);
    }

    private async Task<IHost> StartSiloAsync()
    {
        var builder = HostBuilder();
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        builder.UseOrleans(silo => silo
            .UsePostgresClustering(options => options.ConnectionString = _connectionString)
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, "clustering-tests"))
            .Configure<EndpointOptions>(options =>
            {
                options.AdvertisedIPAddress = IPAddress.Loopback;
                (options.SiloPort, options.GatewayPort) = (siloPort, gatewayPort);
                options.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, siloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);
            }));
        return await StartAsync(builder.Build());
    }

    /// <summary>A client whose connection string comes from configuration, by the section's name.</summary>
    private async Task<IClusterClient> StartClientAsync()
    {
        var builder = HostBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PostgresClusteringOptions.SectionName}:{nameof(PostgresClusteringOptions.ConnectionString)}"] = _connectionString,
        });
        builder.UseOrleansClient(client => client
            .UsePostgresClustering()
            .Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, "clustering-tests")));
        return (await StartAsync(builder.Build())).Services.GetRequiredService<IClusterClient>();
    }

    private async Task<IHost> StartAsync(IHost host)
    {
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private static HostApplicationBuilder HostBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static int ActiveSilos(IHost silo) =>
        silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    private static SiloAddress SiloAddressOf(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>The URI clients should be given for the silo: its gateway endpoint with the silo's generation.</summary>
    private static string GatewayUriOf(IHost silo)
    {
        var details = silo.Services.GetRequiredService<ILocalSiloDetails>();
        return SiloAddress.New(details.GatewayAddress.Endpoint, details.SiloAddress.Generation).ToGatewayUri().ToString();
    }

    private static string AddressOf(IHost silo) => SiloAddressOf(silo).ToString();

    private async Task<MembershipTableData> ReadTableAsync()
    {
        await using var table = new PostgresMembershipTable(ClusteringOptions(), Cluster());
        await table.InitializeMembershipTable(tryInitTableVersion: false);
        return await table.ReadAll();
    }

    /// <summary>What a client's gateway list provider returns now, sorted.</summary>
    private async Task<IEnumerable<string>> GatewaysAsync()
    {
        await using var gateways = new PostgresGatewayListProvider(ClusteringOptions(), Cluster(), Options.Create(new GatewayOptions()));
        await gateways.InitializeGatewayListProvider();
        return (await gateways.GetGateways()).Select(uri => uri.ToString()).Order();
    }

    private IOptions<PostgresClusteringOptions> ClusteringOptions() =>
        Options.Create(new PostgresClusteringOptions { ConnectionString = _connectionString });

    private IOptions<ClusterOptions> Cluster() => Options.Create(new ClusterOptions { ClusterId = _clusterId });
}
