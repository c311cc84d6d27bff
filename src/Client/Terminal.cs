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
    public static T WithProgress<T>(string description, int total, Func<IProgress<int>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            var lastReported = -1;
            var step = Math.Max(1, total / 10);
            var gate = new Lock();
            return work(new SynchronousProgress(done =>
            {
                lock (gate)
                {
                    if (done / step == lastReported / step && done != total) return;
                    lastReported = done;
                    Error.MarkupLineInterpolated($"[grey]{description}: {done}/{total}[/]");
                }
            }));
        }

        return Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new TransferSpeedlessRateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(description, maxValue: total);
                return work(new SynchronousProgress(done => task.Value = done));
            });
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, too late for a bar).</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
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
