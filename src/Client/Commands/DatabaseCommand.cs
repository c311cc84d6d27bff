using System.CommandLine;
using Orchestrator.Client.Cluster;
using Orchestrator.Database;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator database start | stop | psql</c>: the private PostgreSQL server of the embedded
/// cluster (in ORCHESTRATOR_DATA, else ~/.local/share/orchestrator), for a local multi-process
/// cluster or for querying results with psql.
/// </summary>
public static class DatabaseCommand
{
    public static Command Create() => new("database", "The private PostgreSQL server the embedded cluster uses.")
    {
        Create("start", "Start the private server (or find it running), apply the migrations and print its connection string on the last line.", async (server, cancellation) =>
        {
            await using (await OrchestratorDatabase.OpenAsync(server.ConnectionString, cancellation)) { }
            Console.WriteLine(server.ConnectionString);
        }),
        Create("stop", "Stop the private server.", async (server, cancellation) => await server.StopAsync(cancellation)),
        Create("psql", "Print the psql command line that opens the results database.", (server, _) =>
        {
            Console.WriteLine(ClusterConnection.Psql(server));
            return Task.CompletedTask;
        }),
    };

    private static Command Create(string name, string description, Func<EmbeddedPostgres, CancellationToken, Task> act)
    {
        var command = new Command(name, description);
        command.SetAction(async (_, cancellation) =>
        {
            var server = await EmbeddedPostgres.StartAsync(Path.Combine(ClusterConnection.DataDirectory, "postgres"), cancellation);
            await act(server, cancellation);
            return 0;
        });
        return command;
    }
}
