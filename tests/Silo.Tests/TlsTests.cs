using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Silo.Hosting;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>Mutual TLS between silos and on the gateway (ClusterTls) with a self-signed certificate made here, on loopback.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TlsTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_cluster_with_tls_runs_a_sweep_and_a_silo_or_client_without_the_certificate_cannot_join()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var folder = fixture.NewFolder("tls");
        var (certificate, key) = TestCertificates.WriteSelfSigned(folder, "cluster");
        var (foreignCertificate, foreignKey) = TestCertificates.WriteSelfSigned(folder, "stranger");
        var noop = TestCluster.Noop(duration: TimeSpan.FromMilliseconds(300));
        await cluster.StartAsync("coordinator", "coordinator", 0, null, "--tls-certificate", certificate, "--tls-key", key);
        await cluster.StartAsync("worker", "worker-tls", 2, noop, "--tls-certificate", certificate, "--tls-key", key);

        SweepSubmitted submitted;
        await using (var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None, ClusterTls.Load(certificate, key, null)))
            submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(new SweepRequest("tls", fixture.Store.Directory, fixture.Store.Fingerprint, "{}",
                "name: tls\n", [1, 2, 3, 4, 5], Repeats: 2, Priority: 0, [new ConfigurationSpec("linear:T", "linear", "T")], []));
        await cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(60));
        Assert.All(await cluster.Queue.RunsAsync(submitted.SweepId), r => Assert.Equal((RunStates.Succeeded, "worker-tls"), (r.State, r.Worker)));

        // The CLI as a client, with the certificate by its options.
        var status = await Cli.RunAsync(["sweep", "status", $"{submitted.SweepId}", "--database", cluster.Database, "--tls-certificate", certificate, "--tls-key", key], new());
        Assert.True(status.ExitCode == 0, status.Output);
        Assert.Contains("linear:T", status.Output, StringComparison.Ordinal);

        // The gateway speaks TLS 1.2+ and shows the cluster's certificate.
        var gateway = await GatewayPortAsync(cluster, "coordinator");
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", gateway);
            await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)],
            });
            Assert.Equal(X509Certificate2.CreateFromPem(File.ReadAllText(certificate)).GetCertHashString(), tls.RemoteCertificate!.GetCertHashString());
        }

        // A silo with no certificate, and one with a certificate the cluster does not trust, never become Active.
        var watch = Stopwatch.StartNew();
        // Each is given 45 s: a joining silo that reaches no peer retries until Orleans' MaxJoinAttemptTime (minutes) runs out.
        var plain = Assert.ThrowsAnyAsync<Exception>(() => SiloProcess.StartAsync("worker", "no-certificate", cluster.Database, 1, noop, startTimeout: TimeSpan.FromSeconds(45)));
        var stranger = Assert.ThrowsAnyAsync<Exception>(() => SiloProcess.StartAsync("worker", "stranger", cluster.Database, 1, noop,
            ["--tls-certificate", foreignCertificate, "--tls-key", foreignKey], startTimeout: TimeSpan.FromSeconds(45)));
        // A client without the certificate gets no grain call through.
        var untrustedClient = Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            await using var untrusted = await ClusterConnection.OpenAsync(cluster.Database, 0, patience.Token);
            await untrusted.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus().WaitAsync(TimeSpan.FromSeconds(30));
        });
        var failures = await Task.WhenAll(stranger, untrustedClient, plain);
        await using (var connection = await cluster.Opened.DataSource.OpenConnectionAsync())
        {
            var statuses = (await connection.QueryAsync<(string Name, string Status)>("SELECT silo_name, status FROM cluster_members")).ToList();
            Assert.DoesNotContain(statuses, s => s.Name is "no-certificate" or "stranger" && s.Status == "Active");
            Assert.Equal(2, statuses.Count(s => s.Status == "Active"));
        }
        output.WriteLine($"TLS sweep of 10 runs done; the silo without a certificate, the one with a stranger's and the client without one were all kept out " +
                         $"({watch.Elapsed.TotalSeconds:0} s): {string.Join(" | ", failures.Select(f => f.GetType().Name + ": " + f.Message.Split('\n')[0]))}");
    }

    private static async Task<int> GatewayPortAsync(TestCluster cluster, string silo)
    {
        await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT proxy_port FROM cluster_members WHERE silo_name = @Silo AND status = 'Active'", new { Silo = silo });
    }
}
