namespace Orchestrator.Database.Server;

/// <summary>
/// The operating-system account the server runs under. PostgreSQL refuses to run as root, so a
/// root process runs <c>initdb</c> and <c>pg_ctl</c> as the <c>postgres</c> user (created by
/// Debian's postgresql package) through <c>runuser</c>, and hands it the folders it writes;
/// any other user runs them directly.
/// </summary>
internal sealed class ServerAccount
{
    private const string ServiceUser = "postgres";

    private ServerAccount(bool asServiceUser) => AsServiceUser = asServiceUser;

    /// <summary>Whether the programs run as <c>postgres</c> rather than as the current user.</summary>
    public bool AsServiceUser { get; }

    public static ServerAccount ForCurrentProcess() => new(Environment.IsPrivilegedProcess);

    /// <summary>Runs a server program as this account; throws with its output when it fails.</summary>
    /// <exception cref="InvalidOperationException">The program failed or could not be started.</exception>
    public async Task<Command.Result> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        try
        {
            return AsServiceUser
                ? await Command.RunCheckedAsync("runuser", ["-u", ServiceUser, "--", program, .. arguments], ct)
                : await Command.RunCheckedAsync(program, arguments, ct);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(AsServiceUser
                ? $"Cannot run {program} as the {ServiceUser} user: runuser could not be started ({e.Message}); install util-linux."
                : $"Cannot run {program}: {e.Message}.", e);
        }
        catch (InvalidOperationException e) when (AsServiceUser)
        {
            throw new InvalidOperationException(
                $"{e.Message} (running as root, the server runs as the {ServiceUser} user, which must exist and be able to enter every parent folder of the server's directory)", e);
        }
    }

    /// <summary>Gives <paramref name="directory"/> to the account, so the server can write into it (a no-op unless root).</summary>
    public async Task OwnAsync(string directory, CancellationToken ct)
    {
        if (!AsServiceUser) return;
        try
        {
            await Command.RunCheckedAsync("chown", [$"{ServiceUser}:", directory], ct);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Cannot give {directory} to the {ServiceUser} user, which the server runs as: {e.Message}", e);
        }
    }
}
