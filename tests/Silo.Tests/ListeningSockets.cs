using System.Globalization;
using System.Net;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// The TCP addresses a process listens on, read from Linux' /proc: its socket inodes (/proc/PID/fd) matched
/// against the listening rows of /proc/net/tcp and tcp6. Says what the process bound, not what a probe reached.
/// </summary>
public static class ListeningSockets
{
    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(target["socket:[".Length..^1]);
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }
        var endpoints = new List<IPEndPoint>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A is LISTEN.
                if (fields.Length < 10 || fields[3] != "0A" || !inodes.Contains(fields[9])) continue;
                endpoints.Add(Parse(fields[1]));
            }
        return endpoints;
    }

    /// <summary>/proc's <c>HEXADDR:HEXPORT</c>, the address in host byte order per 32-bit word.</summary>
    private static IPEndPoint Parse(string field)
    {
        var (address, port) = (field[..field.IndexOf(':')], int.Parse(field[(field.IndexOf(':') + 1)..], NumberStyles.HexNumber));
        var bytes = Convert.FromHexString(address);
        for (var word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        return new IPEndPoint(new IPAddress(bytes), port);
    }
}
