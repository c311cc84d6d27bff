using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// A silo in a process of its own, started from the built CLI (<c>dotnet orchestrator.dll silo</c>)
/// on loopback, so that it can be stopped with SIGTERM or killed with SIGKILL like a real node.
/// Disposing kills it if it still runs: a test never leaves a silo behind.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The worker name it leases under (<c>Orchestrator:Worker:Name</c>), or the coordinator's label.</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it logged so far, one line per entry.</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>The CLI the tests run: the build of the same configuration as this test assembly.</summary>
    public static string Cli { get; } = FindCli();

    /// <summary>
    /// Starts <c>orchestrator silo --role <paramref name="role"/></c> on <paramref name="database"/> (null: none on the
    /// command line, for a connection string that <paramref name="settings"/> give by environment)
    /// with <paramref name="settings"/> as environment variables (<c>Orchestrator__Worker__Lease</c>, ...);
    /// returns once its host has started (Orleans joined, workers leasing). <paramref name="arguments"/> follow the others (<c>--http-port 9100</c>).
    /// With <paramref name="output"/> its stdout and stderr go to that file, as a deployment redirects them
    /// (<c>/dev/full</c>: a full disk), and it returns once started: there is no log to see its start in.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string role, string name, string? database, int slots, IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyList<string>? arguments = null, TimeSpan? startTimeout = null, string? output = null)
    {
        var timeout = startTimeout ?? TimeSpan.FromSeconds(90);
        var start = new ProcessStartInfo(output is null ? Dotnet : "/bin/sh")
        {
            RedirectStandardOutput = output is null,
            RedirectStandardError = output is null,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),          // no appsettings.json of anyone else's
        };
        // exec: the silo keeps the shell's process id, so killing this process kills the silo.
        string[] shell = output is null ? [] : ["-c", "out=$1; shift; exec \"$@\" >\"$out\" 2>&1", "sh", output, Dotnet];
        string[] connection = database is null ? [] : ["--database", database];
        foreach (var argument in (string[])[.. shell, Cli, "silo", "--role", role, .. connection, "--slots", $"{slots}"]) start.ArgumentList.Add(argument);
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Orchestrator__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ORCHESTRATOR_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(inherited);
        start.Environment["Orchestrator__Worker__Name"] = name;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        start.Environment["Logging__LogLevel__Orleans"] = "Warning";
        start.Environment["Logging__LogLevel__Polly"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, process);
        process.OutputDataReceived += (_, e) => silo.Add(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Add(e.Data);
        process.Exited += (_, _) => silo._started.TrySetException(new InvalidOperationException($"Silo {name} exited (code {process.ExitCode}) before it started:\n{silo.Tail(40)}"));
        if (!process.Start()) throw new InvalidOperationException($"Could not start {Dotnet} {Cli}.");
        if (output is not null) return silo;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo._started.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await silo.DisposeAsync();
            throw new TimeoutException($"Silo {name} did not start within {timeout.TotalSeconds:0} s:\n{silo.Tail(40)}");
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    /// <summary>Starts several silos at once (they start in parallel).</summary>
    public static Task<SiloProcess[]> StartAllAsync(params Func<Task<SiloProcess>>[] starts) => Task.WhenAll(starts.Select(s => s()));

    /// <summary><c>kill -9</c>: no shutdown, no hand-back, leases left to expire.</summary>
    public async Task KillAsync()
    {
        _process.Kill();      // SIGKILL on Unix
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM: a graceful stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", $"{_process.Id}"]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>The last <paramref name="lines"/> lines it logged.</summary>
    public string Tail(int lines) => string.Join('\n', _log.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        if (line.Contains("Application started.", StringComparison.Ordinal)) _started.TrySetResult();
    }

    public static string Dotnet =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static string FindCli()
    {
        // artifacts/bin/Silo.Tests/<configuration>/ -> artifacts/bin/Client/<configuration>/orchestrator.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var cli = Path.GetFullPath(Path.Combine(here.FullName, "..", "..", "Client", here.Name, "orchestrator.dll"));
        return File.Exists(cli) ? cli : throw new FileNotFoundException($"The CLI is not built at {cli}: build src/Client/Client.csproj in the tests' configuration.", cli);
    }
}
