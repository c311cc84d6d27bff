using System.Diagnostics;

namespace Orchestrator.Scheduler.Bench;

/// <summary>A silo of the built CLI in a process of its own; started when its host reports it started, stopped with SIGTERM.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, Process process) => (Name, _process) = (name, process);

    public string Name { get; }

    /// <summary>CPU time the silo has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>artifacts/bin/Scheduler.Bench/&lt;configuration&gt;/ -> artifacts/bin/Client/&lt;configuration&gt;/orchestrator.dll.</summary>
    public static string Cli
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var cli = Path.GetFullPath(Path.Combine(here.FullName, "..", "..", "Client", here.Name, "orchestrator.dll"));
            return File.Exists(cli) ? cli : throw new FileNotFoundException($"The CLI is not built at {cli}.", cli);
        }
    }

    public static async Task<SiloProcess> StartAsync(string role, string name, string database, int slots, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in new[] { Cli, "silo", "--role", role, "--database", database, "--slots", $"{slots}" }) start.ArgumentList.Add(argument);
        start.Environment["Orchestrator__Worker__Name"] = name;
        // Warnings only, so that logging costs nothing per run; the host's "started" line to know when it is up.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, process);
        process.OutputDataReceived += (_, e) => silo.Add(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Add(e.Data);
        process.Exited += (_, _) => silo._started.TrySetException(new InvalidOperationException($"{name} exited before it started:\n{silo.Tail()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo._started.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    /// <summary>The warnings and errors it logged.</summary>
    public IReadOnlyList<string> Trouble()
    {
        lock (_log) return _log.Where(l => l.Contains("warn: Orchestrator", StringComparison.Ordinal) || l.Contains("fail: ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>SIGTERM, then SIGKILL if it has not stopped within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", $"{_process.Id}"])) await term.WaitForExitAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private string Tail()
    {
        lock (_log) return string.Join('\n', _log.TakeLast(30));
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_log) _log.Add(line);
        if (line.Contains("Application started.", StringComparison.Ordinal)) _started.TrySetResult();
    }
}
