using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// The database of a connection string cannot be reached or refuses the login. The message says
/// which server, database and user were tried, and why, but never the password: Npgsql's own
/// message ("Failed to connect to 127.0.0.1:5432", "28P01: password authentication failed") leaves
/// out the database, and a socket path that does not exist only gives "No such file or directory".
/// An <see cref="NpgsqlException"/> still, so code that retries transient database errors retries it.
/// </summary>
public sealed class DatabaseConnectionException(string message, NpgsqlException inner) : NpgsqlException(message, inner)
{
    /// <summary>As transient as the failure it wraps (a server starting up is; a wrong password is not).</summary>
    public override bool IsTransient => ((NpgsqlException)InnerException!).IsTransient;

    /// <summary>Names what <paramref name="connectionString"/> points at, and <paramref name="error"/>'s reason.</summary>
    public static DatabaseConnectionException For(string connectionString, NpgsqlException error)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var host = builder.Host is { Length: > 0 } h ? h : "localhost";
        var server = host.StartsWith('/') ? $"the socket in {host}, port {builder.Port}" : $"{host}:{builder.Port}";
        var user = builder.Username is { Length: > 0 } u ? u : Environment.UserName;
        var database = builder.Database is { Length: > 0 } d ? d : user;
        var reason = error is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}"
            // The socket error for a missing folder is "Cannot assign requested address", which misleads.
            : host.StartsWith('/') && !Directory.Exists(host) ? $"the folder {host} does not exist (no server has its socket there)"
            : error.InnerException is { Message: { Length: > 0 } inner } ? $"{error.Message} ({inner})" : error.Message;
        return new DatabaseConnectionException(
            $"Cannot open database '{database}' on {server} as user '{user}': {reason}. Check the connection string (--database or ORCHESTRATOR_DATABASE).", error);
    }
}
