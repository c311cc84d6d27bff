using System.Runtime.Versioning;
using Npgsql;

namespace Orchestrator.Database.Tests.Server;

/// <summary>Servers of their own (not the shared fixture's): start, reuse, stop, restart.</summary>
[SupportedOSPlatform("linux")]
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-pg-").FullName;

    [Fact]
    public async Task A_started_server_takes_socket_connections_only_is_reused_and_keeps_its_data_across_a_restart()
    {
        var server = await EmbeddedPostgres.StartAsync(directory);
        try
        {
            Assert.True(server.StartedHere);
            Assert.Equal(Path.Combine(directory, "socket"), server.SocketDirectory);
            Assert.Equal("orchestrator", await ScalarAsync<string>(server.ConnectionString, "SELECT current_database()"));
            Assert.Equal("UTF8", await ScalarAsync<string>(server.ConnectionString, "SHOW server_encoding"));
            Assert.Equal("", await ScalarAsync<string>(server.ConnectionString, "SHOW listen_addresses"));
            await ScalarAsync<int>(server.ConnectionString, "CREATE TABLE kept(x int); INSERT INTO kept VALUES (42); SELECT 1");

            var second = await EmbeddedPostgres.StartAsync(directory);
            Assert.False(second.StartedHere);
            Assert.Equal(server.Port, second.Port);
            Assert.Equal(server.ConnectionString, second.ConnectionString);
            await second.DisposeAsync(); // Not its server: must leave it running.
            Assert.Equal(42, await ScalarAsync<int>(server.ConnectionString, "SELECT x FROM kept"));

            await server.StopAsync();
            NpgsqlConnection.ClearAllPools();
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync<int>(server.ConnectionString, "SELECT 1"));
            Assert.False(File.Exists(Path.Combine(server.DataDirectory, "postmaster.pid")));

            server = await EmbeddedPostgres.StartAsync(directory);
            Assert.True(server.StartedHere);
            Assert.Equal(42, await ScalarAsync<int>(server.ConnectionString, "SELECT x FROM kept"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_directory_too_long_for_a_unix_socket_gets_a_short_socket_folder()
    {
        // As root the server runs as postgres, which must pass through the (private) temporary folder.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var deep = Path.Combine(directory, new string('d', 60), new string('e', 60));
        await using var server = await EmbeddedPostgres.StartAsync(deep);
        Assert.StartsWith("/tmp/orchestrator-pg-", server.SocketDirectory);
        Assert.Equal(1, await ScalarAsync<int>(server.ConnectionString, "SELECT 1"));
        await server.StopAsync();
        Directory.Delete(server.SocketDirectory, recursive: true);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
