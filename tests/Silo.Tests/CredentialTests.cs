using System.Diagnostics;
using System.Text;
using Dapper;
using Npgsql;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Xunit.Abstractions;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// Database credentials (docs/security.md): silos connect as the least-privilege role that
/// <c>orchestrator database grant-silo-role</c> makes, with a password that the server checks, and the
/// password shows nowhere another user or a telemetry backend could read it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CredentialTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Key = "linear:T[width=16,max-epochs=3,patience=3]";

    // Names are data: quotes, a semicolon, a comment, Unicode, through the grains, the membership table and the run queue.
    private const string HostileSweep = "sweep '); DROP TABLE runs; -- \"«Ωμέγα»\" 😀";
    private const string HostileWorker = "worker '); DROP TABLE cluster_members; -- «Ωμέγα» 😀";

    [Fact]
    public async Task A_silo_role_with_a_password_runs_a_sweep_never_shows_the_password_and_cannot_create_a_table()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var role = $"silo_{Guid.NewGuid():N}"[..24];
        var password = $"pw-{Guid.NewGuid():N}";
        await RequirePasswordAsync(fixture.Server, role);

        // The documented command, as the owner, with the new role's password from the environment.
        var grant = await Cli.RunAsync(["database", "grant-silo-role", role], new()
        {
            [DatabaseSetting.Variable] = cluster.Database,
            ["ORCHESTRATOR_SILO_PASSWORD"] = password,
        });
        Assert.True(grant.ExitCode == 0, grant.Output);
        var silo = new NpgsqlConnectionStringBuilder(cluster.Database) { Username = role }.ConnectionString;
        // The server checks the password: a wrong one is refused.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(silo + ";Password=wrong"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);

        // Two ways in: the coordinator's connection string (with the password) in the environment, the worker's password in a password file.
        var folder = fixture.NewFolder("credentials");
        var passfile = Path.Combine(folder.FullName, "pgpass");
        File.WriteAllText(passfile, $"*:*:*:{role}:{password}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var collector = new OtlpSink();
        var telemetry = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["Logging__LogLevel__Npgsql"] = "Debug",
            ["Logging__LogLevel__Orchestrator"] = "Debug",
        };
        var (coordinatorPort, workerPort) = (Scrape.FreePort(), Scrape.FreePort());
        var coordinator = await cluster.StartOnAsync(null, "coordinator", "coordinator", 0,
            new Dictionary<string, string>(telemetry) { ["Orchestrator__Silo__Database"] = $"{silo};Password={password}" }, "--http-port", $"{coordinatorPort}");
        var worker = await cluster.StartOnAsync(null, "worker", HostileWorker, 2,
            new Dictionary<string, string>(telemetry) { ["Orchestrator__Silo__Database"] = silo, ["PGPASSFILE"] = passfile, ["Orchestrator__Worker__Poll"] = "00:00:00.2" },
            "--http-port", $"{workerPort}");

        SweepSubmitted submitted;
        await using (var client = await ClusterConnection.OpenAsync($"{silo};Password={password}", 0, CancellationToken.None))
            submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(new SweepRequest(HostileSweep, fixture.Store.Directory, fixture.Store.Fingerprint, "{}",
                $"name: {HostileSweep}\n", [2, 5], Repeats: 1, Priority: 0, [new ConfigurationSpec(Key, "linear", "T")], []));
        // Every process' command line while the runs train, and the run processes' environment.
        var commandLines = new Dictionary<int, string>();
        var runEnvironments = new Dictionary<int, string>();
        var completion = cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(180));
        while (!completion.IsCompleted)
        {
            foreach (var (pid, commandLine) in CommandLines())
            {
                commandLines[pid] = commandLine;
                if (commandLine.Contains(" train ", StringComparison.Ordinal) && commandLine.Contains(fixture.Store.Directory, StringComparison.Ordinal)
                    && Read($"/proc/{pid}/environ") is { } environment)
                    runEnvironments[pid] = environment;
            }
            await Task.Delay(100);
        }
        await completion;
        var scrapes = new[] { await Scrape.ReadAsync(coordinatorPort), await Scrape.ReadAsync(workerPort) };
        // The exporters' batches go every 200-500 ms: the last spans of the sweep arrive after it.
        await Task.Delay(1500);

        Assert.NotEmpty(runEnvironments);
        Assert.Contains(collector.Posts, p => p.Path == "/v1/traces" && p.Body.Length > 0);
        Assert.Contains(collector.Posts, p => p.Path == "/v1/metrics" && p.Body.Length > 0);
        Assert.Contains(collector.Posts, p => p.Path == "/v1/logs" && p.Body.Length > 0);
        var secret = Encoding.UTF8.GetBytes(password);
        Assert.DoesNotContain(coordinator.Log.Concat(worker.Log).Concat([grant.Output]), line => line.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(commandLines.Values, line => line.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(runEnvironments.Values, environment => environment.Contains(password, StringComparison.Ordinal) || environment.Contains("PGPASSFILE", StringComparison.Ordinal));
        Assert.DoesNotContain(collector.Posts, p => p.Body.AsSpan().IndexOf(secret) >= 0);
        Assert.DoesNotContain(scrapes, s => s.Text.Contains(password, StringComparison.Ordinal));

        // The hostile names came back unchanged from every table they went through.
        var runs = await cluster.Queue.RunsAsync(submitted.SweepId);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal((RunStates.Succeeded, HostileWorker), (r.State, r.Worker)));
        Assert.Equal(HostileSweep, (await cluster.Queue.GetSweepAsync(submitted.SweepId))!.Name);
        await using (var owner = await cluster.Opened.DataSource.OpenConnectionAsync())
            Assert.Contains(HostileWorker, await owner.QueryAsync<string>("SELECT silo_name FROM cluster_members"));

        // The silo role writes rows but changes no schema.
        await using var connection = await OpenAsync($"{silo};Password={password}");
        var create = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("CREATE TABLE intruder (id integer)"));
        var drop = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DROP TABLE runs"));
        Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege), (create.SqlState, drop.SqlState));
        output.WriteLine($"silo role {role}: sweep of {runs.Count} real runs; {commandLines.Count} command lines, {runEnvironments.Count} run environments, " +
                         $"{collector.Posts.Count} OTLP posts ({collector.Posts.Sum(p => p.Body.Length)} bytes), {coordinator.Log.Count + worker.Log.Count} log lines searched; CREATE TABLE: {create.MessageText}");
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("sweep status")]
    [InlineData("results 1")]
    public async Task A_database_option_with_a_password_is_refused_with_where_to_put_it(string command)
    {
        var result = await Cli.RunAsync([.. command.Split(' '), "--database", "Host=db.example.com;Username=orchestrator;Password=hunter2"], new());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ORCHESTRATOR_DATABASE", result.Output, StringComparison.Ordinal);
        Assert.Contains("PGPASSFILE", result.Output, StringComparison.Ordinal);
    }

    /// <summary>Makes the fixture's server ask <paramref name="role"/> for its password (SCRAM) on the socket, where it trusts every other role.</summary>
    private static async Task RequirePasswordAsync(EmbeddedPostgres server, string role)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        var file = await connection.ExecuteScalarAsync<string>("SELECT current_setting('hba_file')");
        var current = await connection.ExecuteScalarAsync<string>("SELECT pg_read_file(current_setting('hba_file'))");
        // First match wins: the role's line goes first. COPY writes the file as the server's own account.
        string[] lines = [$"local all {role} scram-sha-256", .. current!.Split('\n').Select(l => l.Replace('\t', ' '))];
        await connection.ExecuteAsync("CREATE TEMP TABLE hba (n integer, line text)");
        await connection.ExecuteAsync("INSERT INTO hba SELECT n, l FROM unnest(@Lines) WITH ORDINALITY AS t(l, n)", new { Lines = lines });
        await connection.ExecuteAsync($"COPY (SELECT line FROM hba ORDER BY n) TO '{file!.Replace("'", "''")}'");
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT pg_reload_conf()"));
        // The reload is asynchronous: wait until a new backend sees the rule.
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<int>("SELECT count(*)::integer FROM pg_hba_file_rules WHERE @Role = ANY(user_name)", new { Role = role }) == 0; i++)
            await Task.Delay(50);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every process' command line, its arguments joined by spaces, as <c>ps</c> shows them to any user.</summary>
    private static IEnumerable<(int Pid, string CommandLine)> CommandLines()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Read($"{folder}/cmdline") is { Length: > 0 } commandLine)
                yield return (pid, commandLine);
    }

    /// <summary>A NUL-separated /proc file with spaces for the NULs; null when the process is gone.</summary>
    private static string? Read(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path)).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>The built CLI in a process of its own, as a user runs it.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs <c>orchestrator <paramref name="arguments"/></c> with <paramref name="environment"/> added; its exit code and everything it printed.</summary>
    public static async Task<Result> RunAsync(IReadOnlyList<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in new[] { SiloProcess.Cli }.Concat(arguments)) start.ArgumentList.Add(argument);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ORCHESTRATOR_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return new Result(process.ExitCode, await output + await errors);
    }
}
