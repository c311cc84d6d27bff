using System.CommandLine;
using Npgsql;

namespace Orchestrator.Client.Cluster;

/// <summary>
/// Where a command finds the cluster's connection string, and the rule that keeps its password off
/// command lines: every user of a machine reads every process' arguments (<c>ps</c>, /proc/PID/cmdline),
/// while the environment and a mode-600 file are the owner's alone (docs/security.md).
/// </summary>
public static class DatabaseSetting
{
    /// <summary>The connection string's variable.</summary>
    public const string Variable = "ORCHESTRATOR_DATABASE";

    /// <summary>A file that holds the connection string (a Docker or Kubernetes secret, <c>install -m 600</c>).</summary>
    public const string FileVariable = "ORCHESTRATOR_DATABASE_FILE";

    /// <summary>
    /// What every <c>--database</c> option says when its connection string holds a password: where to put it instead.
    /// </summary>
    public const string PasswordRefusal =
        "--database holds a password, which every user of this machine can read on the command line (ps). " +
        $"Put the connection string in the environment variable {Variable} (or in a mode-600 file named by {FileVariable}), " +
        "or keep the password out of it: a password file (~/.pgpass, PGPASSFILE or Passfile=; lines host:port:database:user:password) " +
        "or PGPASSWORD. See docs/security.md.";

    /// <summary>ORCHESTRATOR_DATABASE, else the trimmed contents of the file ORCHESTRATOR_DATABASE_FILE names; null when neither is set.</summary>
    /// <exception cref="InvalidOperationException">ORCHESTRATOR_DATABASE_FILE names a file that cannot be read.</exception>
    public static string? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value) return value;
        if (Environment.GetEnvironmentVariable(FileVariable) is not { Length: > 0 } file) return null;
        try
        {
            return File.ReadAllText(file).Trim() is { Length: > 0 } contents ? contents
                : throw new InvalidOperationException($"{FileVariable}: {file} is empty; it should hold the connection string.");
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"{FileVariable}: cannot read {file}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException($"{FileVariable}: cannot read {file}: {e.Message}", e);
        }
    }

    /// <summary>Refuses, at parse time, a value of <paramref name="option"/> that carries a password.</summary>
    public static Option<string?> RefusingPasswords(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: > 0 } value && HasPassword(value)) result.AddError(PasswordRefusal);
        });
        return option;
    }

    /// <summary>Whether <paramref name="connectionString"/> sets a password (any of Npgsql's spellings of the key).</summary>
    public static bool HasPassword(string connectionString)
    {
        try
        {
            return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Password);
        }
        catch (ArgumentException)
        {
            // Unparseable: Npgsql reports it when the command connects; a password inside it is still refused.
            return connectionString.Contains("password", StringComparison.OrdinalIgnoreCase);
        }
    }
}
