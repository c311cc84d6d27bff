using System.Diagnostics;

namespace Orchestrator.Database.Server;

/// <summary>Runs a program to its end and keeps what it printed, so a failure can be reported with it.</summary>
internal static class Command
{
    /// <summary>The result of one program run: exit code and the standard output and error.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="program"/>; a cancelled wait kills it.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started (not found).</exception>
    public static async Task<Result> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs <paramref name="program"/> and throws, with its output, unless it exits with 0.</summary>
    /// <exception cref="InvalidOperationException">The program exited with another code.</exception>
    public static async Task<Result> RunCheckedAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var result = await RunAsync(program, arguments, ct);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}: {(result.Error + result.Output).Trim()}");
        return result;
    }
}
