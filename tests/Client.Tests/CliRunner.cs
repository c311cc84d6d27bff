using Spectre.Console;

namespace Orchestrator.Client.Tests;

/// <summary>Runs the CLI in-process and captures what it prints on standard output and standard error.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(args, width: null);

    /// <summary>As above, on consoles <paramref name="width"/> columns wide (Spectre's default without a terminal: 80).</summary>
    public static async Task<Result> RunAsync(string[] args, int? width)
    {
        // The CLI's consoles are process-wide: one invocation at a time.
        await OneAtATime.WaitAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError) = (Terminal.Out, Terminal.Error);
        try
        {
            Terminal.Out = Capture(output, width);
            Terminal.Error = Capture(error, width);
            var exitCode = await CliApp.Build().Parse(args).InvokeAsync(new() { Output = output, Error = error });
            return new Result(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            (Terminal.Out, Terminal.Error) = (previousOut, previousError);
            OneAtATime.Release();
        }
    }

    private static IAnsiConsole Capture(TextWriter writer, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (width is { } columns) console.Profile.Width = columns;
        return console;
    }
}
