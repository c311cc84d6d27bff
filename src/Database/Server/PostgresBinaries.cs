namespace Orchestrator.Database.Server;

/// <summary>
/// Where the PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>) live.
/// </summary>
/// <remarks>
/// <c>pg_config --bindir</c> is asked first, but on Debian it comes with the client library too and
/// may name a folder without the server, so every candidate must hold all three programs; then the
/// newest <c>/usr/lib/postgresql/N/bin</c> (Debian's layout for side-by-side major versions).
/// </remarks>
internal sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>The server binaries, or an exception saying how to install them.</summary>
    /// <exception cref="FileNotFoundException">No folder holds initdb, pg_ctl and postgres.</exception>
    public static async Task<PostgresBinaries> FindAsync(CancellationToken ct)
    {
        var candidates = new List<string>();
        if (await PgConfigBinDirectoryAsync(ct) is { } fromPgConfig) candidates.Add(fromPgConfig);
        if (System.IO.Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Path: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Path));
        var found = candidates.FirstOrDefault(HasServer);
        return found is null
            ? throw new FileNotFoundException($"PostgreSQL server binaries not found: apt-get install postgresql (looked for initdb, pg_ctl and postgres in {(candidates.Count == 0 ? "pg_config --bindir and /usr/lib/postgresql/*/bin" : string.Join(", ", candidates))}).")
            : new PostgresBinaries(found);
    }

    private static bool HasServer(string directory) =>
        new[] { "initdb", "pg_ctl", "postgres" }.All(program => File.Exists(Path.Combine(directory, program)));

    private static async Task<string?> PgConfigBinDirectoryAsync(CancellationToken ct)
    {
        try
        {
            var result = await Command.RunAsync("pg_config", ["--bindir"], ct);
            return result.ExitCode == 0 ? result.Output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // pg_config is not installed: the fixed layout may still hold a server.
        }
    }
}
