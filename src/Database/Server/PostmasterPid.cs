namespace Orchestrator.Database.Server;

/// <summary>
/// What a running server writes into <c>postmaster.pid</c> of its data directory: process id,
/// port, first socket directory and status, one per line (PostgreSQL's <c>pidfile.h</c>).
/// </summary>
internal sealed record PostmasterPid(int ProcessId, int Port, string SocketDirectory, string Status)
{
    /// <summary>The file's content, or null when there is none or it is not (yet) complete.</summary>
    public static PostmasterPid? Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "postmaster.pid");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
        // 1 pid, 2 data directory, 3 start time, 4 port, 5 socket directory, 6 listen address, 7 shared memory key, 8 status.
        if (lines.Length < 8 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        return new PostmasterPid(pid, port, lines[4].Trim(), lines[7].Trim());
    }

    /// <summary>Whether the process named in the file still runs (a stale file outlives a killed server).</summary>
    public bool ProcessAlive
    {
        get
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
