using System.CommandLine;
using Orchestrator.Client.Cluster;
using Orchestrator.Database;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator database start | stop | psql</c>: the private PostgreSQL server of the embedded
/// cluster (in ORCHESTRATOR_DATA, else ~/.local/share/orchestrator), for a local multi-process
/// cluster or for querying results with psql; <c>database grant-silo-role</c>: the least-privilege
/// role silos connect as, on any server.
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
        CreateGrantSiloRole(),
    };

    /// <summary>The variable <c>grant-silo-role</c> reads the new role's password from, when no file is named.</summary>
    public const string SiloPasswordVariable = "ORCHESTRATOR_SILO_PASSWORD";

    private static Command CreateGrantSiloRole()
    {
        var name = new Argument<string>("name") { Description = "The role silos will connect as, e.g. orchestrator_silo (created when missing)." };
        var database = SweepCommands.DatabaseOption();
        database.Description = "The database, connected to as its owner role, the one that runs migrations (default: ORCHESTRATOR_DATABASE or ORCHESTRATOR_DATABASE_FILE, else the private server). A password here is refused.";
        var passwordFile = new Option<FileInfo?>("--password-file")
        {
            HelpName = "FILE",
            Description = $"Set the role's password to this file's first line (default: the variable {SiloPasswordVariable}; neither: the password is left as it is, e.g. for peer or certificate authentication).",
        };
        var command = new Command("grant-silo-role", "Apply the migrations as the owner role, then create a role for silos that may read and write rows but not change the schema (docs/security.md).")
        {
            name, database, passwordFile,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var role = result.GetValue(name)!;
            var password = result.GetValue(passwordFile) is { } file ? File.ReadLines(file.FullName).FirstOrDefault()?.TrimEnd('\r') : Environment.GetEnvironmentVariable(SiloPasswordVariable);
            try
            {
                await using var owner = await ClusterConnection.OpenDatabaseAsync(result.GetValue(database), cancellation);
                await SiloDatabaseRole.GrantAsync(owner.DataSource, role, password, cancellation);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            Console.WriteLine($"Role {role} may read and write the Orchestrator's rows and create nothing{(string.IsNullOrEmpty(password) ? "" : "; its password is set")}. " +
                              "Connect silos with Username=" + role + " and the password from the environment or a password file (docs/security.md).");
            return 0;
        });
        return command;
    }

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
