using System.Diagnostics;

namespace Orchestrator.Deploy.Tests;

/// <summary>Paths in the checkout, and the external tools some checks run.</summary>
public static class Repo
{
    /// <summary>The repository root: the first folder above the test assembly holding Orchestrator.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Orchestrator.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>A temporary copy of a folder under deploy/ (to break a file on purpose); deleted on dispose.</summary>
    public static TempCopy CopyOf(string relativeFolder) => new(PathOf(relativeFolder));
}

public sealed class TempCopy : IDisposable
{
    public TempCopy(string source)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "deploy-tests-" + Guid.NewGuid().ToString("N"));
        Copy(new DirectoryInfo(source), Path);
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Replaces exactly one occurrence of <paramref name="from"/> in a copied file (fails when there is none).</summary>
    public void Replace(string relative, string from, string to)
    {
        var text = System.IO.File.ReadAllText(File(relative));
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in {relative}: the test's mutation no longer applies");
        System.IO.File.WriteAllText(File(relative), text[..at] + to + text[(at + from.Length)..]);
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.GetFiles()) file.CopyTo(System.IO.Path.Combine(to, file.Name));
        foreach (var dir in from.GetDirectories()) Copy(dir, System.IO.Path.Combine(to, dir.Name));
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>External programs: found on PATH, run with a time limit.</summary>
public static class Tool
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }

    public static Result Run(string program, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
            foreach (var (key, value) in environment)
                if (value is null) start.Environment.Remove(key); else start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran for more than 2 minutes");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// Whether the Debian package that provides a tool is in scripts/test-packages.txt, so that ./test
    /// installs it: a check that needs the tool only runs where it is installed, and must not go
    /// unnoticed because nobody installs it.
    /// </summary>
    public static bool ListedInTestPackages(string package) =>
        File.ReadAllLines(Repo.PathOf("scripts", "test-packages.txt"))
            .Select(l => l.Trim()).Any(l => !l.StartsWith('#') && l == package);
}
