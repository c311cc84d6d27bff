using System.Text.RegularExpressions;
using Npgsql;
using Orchestrator.Database;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// A connection string to a server that is not there, or one that refuses the password: each
/// command that reads or joins the cluster fails with one line naming the server, database and
/// user (never the password), without a stack trace, and writes nothing to the database.
/// </summary>
public sealed class DatabaseConnectionTests(DatabaseConnectionTests.PasswordServer server) : IClassFixture<DatabaseConnectionTests.PasswordServer>
{
    private const string Password = "not-the-Passw0rd";

    public static TheoryData<string, string, string, string> Unreachable => new()
    {
        // Nothing listens on port 1 of loopback: refused at once.
        { "tcp", "Host=127.0.0.1;Port=1;Database=results;Username=analyst;Timeout=2", "on 127.0.0.1:1 as user 'analyst'", "Failed to connect to 127.0.0.1:1" },
        { "socket", "Host=/nonexistent/orchestrator-socket;Port=5432;Database=results;Username=analyst", "on the socket in /nonexistent/orchestrator-socket, port 5432 as user 'analyst'",
          "the folder /nonexistent/orchestrator-socket does not exist" },
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task A_server_that_is_not_there_is_named_with_database_and_user(string kind, string connection, string where, string reason)
    {
        foreach (var command in new[] { new[] { "results", "1" }, ["sweep", "status"], ["workers"] })
        {
            var result = await CliRunner.RunAsync([.. command, "--database", connection]);

            Assert.True(result.ExitCode == 1, $"{kind} {string.Join(' ', command)}: exit {result.ExitCode}\n{result.Error}");
            var error = Flat(result.Error);
            Assert.Contains($"Cannot open database 'results' {where}: {reason}", error);
            Assert.Contains("Check the connection string (--database or ORCHESTRATOR_DATABASE)", error);
            Assert.DoesNotContain(Password, result.Error + result.Output);
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Theory]
    [InlineData("Hots=localhost;Passfile=/nonexistent/" + Password, "Couldn't set hots")]
    [InlineData("just-a-hostname", "Format of the initialization string does not conform to specification")]
    public async Task A_malformed_connection_string_is_named_as_such_without_repeating_it(string connection, string reason)
    {
        var result = await CliRunner.RunAsync("results", "1", "--database", connection);

        Assert.Equal(1, result.ExitCode);
        var error = Flat(result.Error);
        Assert.Contains($"The database connection string is malformed ({reason}", error);
        Assert.Contains("(--database or ORCHESTRATOR_DATABASE)", error);
        Assert.DoesNotContain(Password, result.Error + result.Output);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_refused_password_is_named_and_nothing_is_migrated()
    {
        var connection = server.LoginTo(PasswordServer.Database, Password);

        var result = await CliRunner.RunAsync("results", "1", "--database", connection);

        Assert.Equal(1, result.ExitCode);
        var error = Flat(result.Error);
        Assert.Contains($"Cannot open database '{PasswordServer.Database}' on the socket in {server.SocketDirectory}, port {server.Port} as user '{PasswordServer.Role}'", error);
        Assert.Contains($"28P01: password authentication failed for user \"{PasswordServer.Role}\"", error);
        Assert.DoesNotContain(Password, result.Error + result.Output);
        Assert.Equal(0, await server.TablesAsync(PasswordServer.Database));
    }

    [Fact]
    public async Task The_right_password_opens_the_same_database()
    {
        // The control: the refusal above is the password's, not the connection string's.
        var connection = server.LoginTo(PasswordServer.OtherDatabase, PasswordServer.RightPassword);

        var result = await CliRunner.RunAsync("results", "1", "--database", connection);

        Assert.DoesNotContain("Cannot open database", result.Error);
        Assert.Contains("sweep", result.Error + result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(await server.TablesAsync(PasswordServer.OtherDatabase) > 0);
    }

    /// <summary>The console wraps long lines: compare messages with every run of white space as one space.</summary>
    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    /// <summary>
    /// A private server whose <see cref="Role"/> must log in with a password (scram-sha-256), though
    /// the embedded server trusts everyone else on its socket; <see cref="Database"/> and <see cref="OtherDatabase"/> are empty and owned by that role.
    /// </summary>
    public sealed class PasswordServer : IAsyncLifetime
    {
        public const string Role = "analyst";
        public const string RightPassword = "right-horse-battery";
        public const string Database = "guarded";
        public const string OtherDatabase = "guarded_too";

        private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-password-tests-").FullName;
        private EmbeddedPostgres _server = null!;

        public string SocketDirectory => _server.SocketDirectory;

        public int Port => _server.Port;

        /// <summary>The connection string of <paramref name="database"/> as <see cref="Role"/> with <paramref name="password"/>.</summary>
        /// <summary>
        /// A connection string that logs in as <see cref="Role"/> with <paramref name="password"/>, kept
        /// in a password file (Passfile=), since --database refuses a password in the string itself.
        /// </summary>
        public string LoginTo(string database, string password)
        {
            var passfile = Path.Combine(_directory, $"pgpass-{database}-{Guid.NewGuid():N}");
            File.WriteAllText(passfile, $"*:*:{database}:{Role}:{password}\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);   // libpq's rule: others may not read it
            return new NpgsqlConnectionStringBuilder(_server.ConnectionStringFor(database)) { Username = Role, Passfile = passfile }.ConnectionString;
        }

        public async Task InitializeAsync()
        {
            _server = await EmbeddedPostgres.StartAsync(_directory);
            await using var connection = new NpgsqlConnection(_server.ConnectionString);
            await connection.OpenAsync();
            var hba = (string)(await new NpgsqlCommand("SHOW hba_file", connection).ExecuteScalarAsync())!;
            // pg_hba.conf is read first match first: this line ahead of the trust lines asks this role alone for a password.
            File.WriteAllText(hba, $"local all {Role} scram-sha-256\n" + File.ReadAllText(hba));
            foreach (var sql in new[] { $"CREATE ROLE {Role} LOGIN PASSWORD '{RightPassword}'", $"CREATE DATABASE {Database} OWNER {Role}", $"CREATE DATABASE {OtherDatabase} OWNER {Role}", "SELECT pg_reload_conf()" })
                await new NpgsqlCommand(sql, connection).ExecuteNonQueryAsync();
        }

        /// <summary>The tables in <paramref name="database"/>: none until a login succeeds and migrates it.</summary>
        public async Task<long> TablesAsync(string database)
        {
            await using var connection = new NpgsqlConnection(_server.ConnectionStringFor(database));
            await connection.OpenAsync();
            return (long)(await new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection).ExecuteScalarAsync())!;
        }

        public async Task DisposeAsync()
        {
            await _server.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
