using System.Runtime.CompilerServices;
using Orchestrator.Database;

namespace Orchestrator.Client.Tests;

/// <summary>
/// The embedded cluster of the commands under test (cv, combine, demo) keeps its private PostgreSQL
/// server in ORCHESTRATOR_DATA: a temporary folder of this test run, never the user's
/// ~/.local/share/orchestrator. The tests that use it share the <see cref="EmbeddedClusterCollection"/>,
/// whose fixture stops the server and deletes the folder when they are done.
/// </summary>
internal static class PrivateDataFolder
{
    public static string Path { get; private set; } = "";

    [ModuleInitializer]
    internal static void Use()
    {
        Path = Directory.CreateTempSubdirectory("orchestrator-client-tests-").FullName;
        // Run as root, the server runs as the postgres user, which must be able to enter this folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Environment.SetEnvironmentVariable("ORCHESTRATOR_DATA", Path);
        Environment.SetEnvironmentVariable("ORCHESTRATOR_DATABASE", null);
    }
}

/// <summary>Stops the private server the commands left running (it stays up between commands, as for a user) and deletes its folder.</summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var server = Path.Combine(PrivateDataFolder.Path, "postgres");
        if (Directory.Exists(server)) await (await EmbeddedPostgres.StartAsync(server)).StopAsync();
        Directory.Delete(PrivateDataFolder.Path, recursive: true);
    }
}

/// <summary>The test classes that run commands on the embedded cluster: one private server for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedClusterCollection : ICollectionFixture<EmbeddedClusterFixture>
{
    public const string Name = "embedded cluster";
}
