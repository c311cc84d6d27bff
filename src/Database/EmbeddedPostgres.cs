using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Orchestrator.Database.Server;

namespace Orchestrator.Database;

/// <summary>
/// A private PostgreSQL server in a folder of its own, run from the system's binaries: the
/// single-machine default, and the real database the tests run against. It listens on a Unix
/// socket only (no TCP), trusts the local connections the socket's folder permissions admit, and
/// holds the database <see cref="DatabaseName"/>.
/// </summary>
/// <remarks>
/// Layout: <c>directory/data</c> (the cluster, made by <c>initdb</c> on first start),
/// <c>directory/postgres.log</c>, <c>directory/socket</c> (the socket; when that path is too long
/// for a Unix socket, a folder under /tmp named by a hash of the data directory instead).
/// A server already running from the same directory is reused, not started twice; starts are
/// serialised across processes by a lock file in the directory.
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>The database created for the Orchestrator.</summary>
    public const string DatabaseName = "orchestrator";

    /// <summary>The superuser <c>initdb</c> creates, whoever runs the server.</summary>
    public const string Superuser = "postgres";

    // sun_path holds 108 bytes with its NUL; PostgreSQL appends "/.s.PGSQL.NNNNN" (16) to the folder.
    private const int MaxSocketDirectoryBytes = 107 - 16;

    private readonly PostgresBinaries binaries;
    private readonly ServerAccount account;

    private EmbeddedPostgres(string directory, string socketDirectory, int port, bool startedHere, PostgresBinaries binaries, ServerAccount account)
    {
        Directory = directory;
        SocketDirectory = socketDirectory;
        Port = port;
        StartedHere = startedHere;
        this.binaries = binaries;
        this.account = account;
    }

    /// <summary>The folder given to <see cref="StartAsync"/>, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => DataDirectoryOf(Directory);

    /// <summary>The server's log file.</summary>
    public string LogFile => Path.Combine(Directory, "postgres.log");

    /// <summary>The folder of the server's Unix socket: what psql's <c>-h</c> takes.</summary>
    public string SocketDirectory { get; }

    /// <summary>The port, which names the socket file (<c>.s.PGSQL.port</c>): what psql's <c>-p</c> takes.</summary>
    public int Port { get; }

    /// <summary>Whether this instance started the server (false: it was running already and is reused).</summary>
    public bool StartedHere { get; }

    /// <summary>Npgsql connection string of <see cref="DatabaseName"/> over the socket.</summary>
    public string ConnectionString => ConnectionStringFor(DatabaseName);

    /// <summary>Connection string of another database of the same server (e.g. one per test class).</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder { Host = SocketDirectory, Port = Port, Username = Superuser, Database = database }.ConnectionString;

    /// <summary>
    /// Starts the server of <paramref name="directory"/> (initialising it first when it has no
    /// cluster yet), or attaches to it when it runs already, and creates <see cref="DatabaseName"/>
    /// when missing.
    /// </summary>
    /// <exception cref="FileNotFoundException">The PostgreSQL server binaries are not installed.</exception>
    /// <exception cref="InvalidOperationException">initdb or pg_ctl failed; the message holds their output.</exception>
    public static async Task<EmbeddedPostgres> StartAsync(string directory, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        directory = Path.GetFullPath(directory);
        var binaries = await PostgresBinaries.FindAsync(ct);
        var account = ServerAccount.ForCurrentProcess();
        System.IO.Directory.CreateDirectory(directory);
        using var guard = await DirectoryLock.AcquireAsync(Path.Combine(directory, "embedded-postgres.lock"), ct);
        await account.OwnAsync(directory, ct);

        var data = DataDirectoryOf(directory);
        if (await RunningServerAsync(data, ct) is { } running)
        {
            var attached = new EmbeddedPostgres(directory, running.SocketDirectory, running.Port, startedHere: false, binaries, account);
            await attached.CreateDatabaseAsync(ct);
            return attached;
        }
        if (!File.Exists(Path.Combine(data, "PG_VERSION"))) await InitialiseAsync(data, binaries, account, ct);

        var socket = SocketDirectoryOf(directory);
        System.IO.Directory.CreateDirectory(socket);
        // Trust authentication: whoever reaches the socket is superuser, so only its owner may enter the folder.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await account.OwnAsync(socket, ct);
        var port = FreePort();
        var server = new EmbeddedPostgres(directory, socket, port, startedHere: true, binaries, account);
        await server.PgCtlStartAsync(ct);
        await server.CreateDatabaseAsync(ct);
        return server;
    }

    /// <summary>
    /// Starts the server again after <see cref="StopAsync"/>, on the same port and socket, so that every
    /// connection string handed out stays valid: an outage, not a move (the fault-injection tests).
    /// </summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (PostmasterPid.Read(DataDirectory) is { ProcessAlive: true }) return;
        await PgCtlStartAsync(ct);
    }

    private Task PgCtlStartAsync(CancellationToken ct)
    {
        // pg_ctl hands -o to /bin/sh: quote the folder. No TCP: the socket is the only way in.
        var options = $"-k {ShellQuote(SocketDirectory)} -p {Port} -c listen_addresses=''";
        return account.RunAsync(binaries.PgCtl, ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"], ct);
    }

    /// <summary>Stops the server (fast shutdown: open transactions roll back), whoever started it.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (PostmasterPid.Read(DataDirectory) is not { ProcessAlive: true }) return;
        await account.RunAsync(binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], ct);
    }

    /// <summary>
    /// Stops the server if this instance started it; a server found running is left to its starter,
    /// so a second process attaching to the same directory cannot take the first one's server down.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (StartedHere) await StopAsync();
    }

    private static string DataDirectoryOf(string directory) => Path.Combine(directory, "data");

    private static string SocketDirectoryOf(string directory)
    {
        var inside = Path.Combine(directory, "socket");
        if (Encoding.UTF8.GetByteCount(inside) <= MaxSocketDirectoryBytes) return inside;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DataDirectoryOf(directory))))[..16];
        return Path.Combine("/tmp", $"orchestrator-pg-{hash}");
    }

    /// <summary>initdb into a side folder renamed into place at the end, so a killed initdb leaves no half cluster behind.</summary>
    private static async Task InitialiseAsync(string data, PostgresBinaries binaries, ServerAccount account, CancellationToken ct)
    {
        var pending = data + ".initdb";
        if (System.IO.Directory.Exists(pending)) System.IO.Directory.Delete(pending, recursive: true);
        await account.RunAsync(binaries.InitDb, ["-D", pending, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C"], ct);
        System.IO.Directory.Move(pending, data);
    }

    /// <summary>The server running from <paramref name="data"/>, if one answers on its socket.</summary>
    private static async Task<PostmasterPid?> RunningServerAsync(string data, CancellationToken ct)
    {
        if (PostmasterPid.Read(data) is not { ProcessAlive: true, Status: "ready" } pid) return null;
        var probe = new NpgsqlConnectionStringBuilder
        {
            Host = pid.SocketDirectory, Port = pid.Port, Username = Superuser, Database = "postgres", Pooling = false, Timeout = 5,
        };
        try
        {
            await using var connection = new NpgsqlConnection(probe.ConnectionString);
            await connection.OpenAsync(ct);
            return pid;
        }
        catch (NpgsqlException)
        {
            return null; // A stale file whose process id was reused: start a server of our own.
        }
    }

    private async Task CreateDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = DatabaseName } } };
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";
}
