using Spectre.Console;

namespace Orchestrator.Client;

/// <summary>
/// The two consoles of the CLI: results go to standard output (so that <c>--json</c> output can be
/// piped), progress and messages go to standard error.
/// </summary>
public static class Terminal
{
    public static IAnsiConsole Out { get; set; } = AnsiConsole.Console;

    public static IAnsiConsole Error { get; set; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    /// <summary>
    /// Runs <paramref name="work"/> under a progress bar of <paramref name="total"/> steps (items per
    /// second and time remaining shown). Without an interactive terminal the bar is replaced by
    /// occasional lines, so CI logs stay readable.
    /// </summary>
    public static T WithProgress<T>(string description, int total, Func<IProgress<int>, T> work) =>
        WithProgress(description, progress => work(new CallbackProgress<int>(done => progress.Report((done, total)))));

    /// <summary>As above, for work that learns its total as it goes: each report carries (done, total).</summary>
    public static T WithProgress<T>(string description, Func<IProgress<(int Done, int Total)>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            // A line every few seconds, and the last one: enough to see that work goes on.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var lastLine = TimeSpan.Zero;
            var lastDone = -1;
            var gate = new Lock();
            return work(new CallbackProgress<(int Done, int Total)>(report =>
            {
                lock (gate)
                {
                    var (done, total) = report;
                    if (done == lastDone || (done != total && clock.Elapsed - lastLine < TimeSpan.FromSeconds(5))) return;
                    lastDone = done;
                    lastLine = clock.Elapsed;
                    Error.MarkupLineInterpolated($"[grey]{description}: {done}/{total} ({clock.Elapsed.TotalSeconds:0} s)[/]");
                }
            }));
        }

        return Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new TransferSpeedlessRateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                return work(new CallbackProgress<(int Done, int Total)>(report =>
                {
                    task.MaxValue = Math.Max(1, report.Total);
                    task.Value = report.Done;
                }));
            });
    }

    /// <summary>Items per second, computed from the task's own elapsed time.</summary>
    private sealed class TransferSpeedlessRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(
            Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.ElapsedTime is { TotalSeconds: > 0.5 } elapsed
                ? $"{task.Value / elapsed.TotalSeconds,6:0.0}/s"
                : "      /s");
    }
}
