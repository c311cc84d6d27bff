using Spectre.Console;

namespace Orchestrator.Client.Tests;

/// <summary>Runs the CLI in-process and captures what it prints on standard output and standard error.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<Result> RunAsync(params string[] args)
    {
        // The CLI's consoles are process-wide: one invocation at a time.
        await OneAtATime.WaitAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Terminal.Out, Terminal.Error);
        try
        {
            Terminal.Out = Capture(output);
            Terminal.Error = Capture(error);
            var exitCode = await CliApp.Build().Parse(args).InvokeAsync(new() { Output = output, Error = error });
            return new Result(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            (Terminal.Out, Terminal.Error) = (previousOut, previousError);
            OneAtATime.Release();
        }
    }

    private static IAnsiConsole Capture(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
}
