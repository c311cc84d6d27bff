using System.Diagnostics;
using System.Text;

namespace Orchestrator.Reliability.Tests;

/// <summary>The processes of this machine as /proc shows them: to find a worker's run processes and what a fault left behind.</summary>
public static class Processes
{
    /// <summary>The processes whose parent is <paramref name="parent"/>, with their command lines (arguments split).</summary>
    public static IReadOnlyList<(int Pid, string[] Arguments)> Children(int parent) =>
        All().Where(p => p.Parent == parent).Select(p => (p.Pid, p.Arguments)).ToList();

    /// <summary>Every live process whose command line is exactly <paramref name="arguments"/>.</summary>
    public static IReadOnlyList<int> Running(params string[] arguments) =>
        All().Where(p => p.Arguments.SequenceEqual(arguments)).Select(p => p.Pid).ToList();

    /// <summary>Every live process whose command line contains each of <paramref name="fragments"/>.</summary>
    public static IReadOnlyList<int> Matching(params string[] fragments) =>
        All().Where(p => string.Join(' ', p.Arguments) is var line && fragments.All(f => line.Contains(f, StringComparison.Ordinal))).Select(p => p.Pid).ToList();

    /// <summary>Open file descriptors of <paramref name="pid"/>.</summary>
    public static int FileHandles(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>Resident memory of <paramref name="pid"/> in MiB (VmRSS).</summary>
    public static double ResidentMiB(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();

    /// <summary><c>kill -9</c> of a process that is not ours to wait for.</summary>
    public static void Kill(int pid)
    {
        using var kill = Process.Start("kill", ["-KILL", $"{pid}"]);
        kill.WaitForExit();
    }

    private static IEnumerable<(int Pid, int Parent, string[] Arguments)> All()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            (int, int, string[])? found;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                var arguments = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(folder, "cmdline"))).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                found = (pid, parent, arguments);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                found = null;       // gone meanwhile
            }
            if (found is { } process) yield return process;
        }
    }
}
