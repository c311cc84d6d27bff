using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// The least-privilege role silos connect as: it reads and writes the rows of every table (runs, results,
/// membership) and runs the score functions, but owns nothing and may create nothing, so a compromised
/// worker cannot alter the schema, drop a table or plant a function. Migrations run as the owner role
/// (<c>orchestrator database grant-silo-role</c> applies them first); a silo finds the schema up to date
/// and issues no DDL (<see cref="Migrations.MigrationRunner"/>).
/// </summary>
public static partial class SiloDatabaseRole
{
    /// <summary>
    /// Creates <paramref name="role"/> (LOGIN, no other attribute) when it does not exist, sets its password
    /// when one is given, and grants it row access on everything the connected (owner) role's migrations
    /// created, and on what later migrations by the same owner create (default privileges).
    /// <c>CREATE</c> on schema public is revoked from PUBLIC, as PostgreSQL's own secure-schema pattern
    /// advises (the default before PostgreSQL 15), or every role could still create tables there.
    /// </summary>
    /// <param name="password">
    /// Sent as a SCRAM-SHA-256 verifier computed here, never as clear text: role DDL cannot take bind
    /// parameters, and a literal password would land in the server's statement log (<c>log_statement = ddl</c>).
    /// </param>
    /// <exception cref="ArgumentException">The name is not a plain lower-case identifier.</exception>
    public static async Task GrantAsync(NpgsqlDataSource owner, string role, string? password, CancellationToken ct = default)
    {
        // Identifiers cannot be bind parameters either: only plain names pass, and they are quoted besides.
        if (!PlainIdentifier().IsMatch(role))
            throw new ArgumentException($"A silo role name must be a lower-case identifier (letters, digits, _; at most 63 characters): '{role}' is not.", nameof(role));
        var quoted = $"\"{role}\"";
        await using var connection = await owner.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @Role)", new { Role = role }, transaction, cancellationToken: ct));
        if (!exists)
            await connection.ExecuteAsync(new CommandDefinition($"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT", transaction: transaction, cancellationToken: ct));
        if (password is { Length: > 0 })
        {
            var verifier = ScramSha256Verifier(password);
            // The verifier is base64 and '$' ':' only; the check keeps it from ever closing the literal.
            if (verifier.Contains('\'')) throw new InvalidOperationException("Unexpected quote in a SCRAM verifier.");
            await connection.ExecuteAsync(new CommandDefinition($"ALTER ROLE {quoted} PASSWORD '{verifier}'", transaction: transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition($"""
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {quoted};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted};
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {quoted};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {quoted};
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO {quoted};
            """, transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, 7677), as libpq's
    /// <c>PQencryptPasswordConn</c> makes it for psql's <c>\password</c>:
    /// <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>.
    /// </summary>
    public static string ScramSha256Verifier(string password, int iterations = 4096)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        // SASLprep leaves printable ASCII as it is; other passwords are normalised as PostgreSQL does first (NFKC).
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainIdentifier();
}
