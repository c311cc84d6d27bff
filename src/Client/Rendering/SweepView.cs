using Orchestrator.Contracts.Sweeps;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>The human form of <c>sweep status</c> and <c>workers</c>, and the live view of a running sweep.</summary>
public static class SweepView
{
    public static void Render(IAnsiConsole console, SweepStatus status) => console.Write(Table(status));

    public static void RenderList(IAnsiConsole console, IReadOnlyList<SweepStatus> sweeps)
    {
        if (sweeps.Count == 0)
        {
            console.MarkupLine("No sweeps yet: orchestrator sweep submit GRID.yaml");
            return;
        }
        var table = new Table().AddColumn("sweep").AddColumn("name").AddColumn("state").AddColumn(new TableColumn("priority").RightAligned())
            .AddColumn(new TableColumn("runs finished").RightAligned()).AddColumn(new TableColumn("failed").RightAligned()).AddColumn("submitted");
        foreach (var s in sweeps)
            table.AddRow($"{s.Id}", Markup.Escape(s.Name), State(s.State), $"{s.Priority}", $"{s.Finished}/{s.Total}",
                $"{s.Configurations.Sum(c => c.Failed)}", $"{s.SubmittedAt.ToLocalTime():yyyy-MM-dd HH:mm}");
        console.Write(table);
    }

    public static void RenderWorkers(IAnsiConsole console, IReadOnlyList<WorkerStatus> workers, DateTimeOffset now)
    {
        var table = new Table().AddColumn("worker").AddColumn(new TableColumn("slots").RightAligned()).AddColumn(new TableColumn("training").RightAligned())
            .AddColumn(new TableColumn("reported").RightAligned());
        foreach (var w in workers) table.AddRow(Markup.Escape(w.Name), $"{w.Slots}", $"{w.Running}", $"{(now - w.ReportedAt).TotalSeconds:0} s ago");
        console.Write(workers.Count == 0 ? new Markup("No worker has reported in the last minute.\n") : table);
    }

    /// <summary>Redraws the sweep's table every second until every run is finished; returns the last status.</summary>
    public static async Task<SweepStatus> WatchAsync(ISweepGrain sweep, CancellationToken cancellation)
    {
        var status = await sweep.GetStatus();
        await Terminal.Error.Live(Table(status)).StartAsync(async live =>
        {
            while (!Done(status))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                status = await sweep.GetStatus();
                live.UpdateTarget(Table(status));
            }
        });
        return status;
    }

    private static bool Done(SweepStatus status) => status.State is SweepState.Completed or SweepState.Cancelled || status.Finished == status.Total;

    private static Table Table(SweepStatus status)
    {
        var table = new Table().Title($"sweep {status.Id} ({Markup.Escape(status.Name)}): {State(status.State)}, {status.Finished}/{status.Total} runs finished{Eta(status)}")
            .AddColumn("configuration").AddColumn(new TableColumn("done").RightAligned()).AddColumn(new TableColumn("running").RightAligned())
            .AddColumn(new TableColumn("queued").RightAligned()).AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("s/run").RightAligned());
        foreach (var c in status.Configurations)
            table.AddRow(Markup.Escape(c.Key), $"{c.Succeeded}/{c.Total}", $"{c.Running + c.Leased}", $"{c.Queued}",
                c.Failed > 0 ? $"[red]{c.Failed}[/]" : "0", c.MeanRunSeconds is { } s ? $"{s:0.0}" : "");
        return table;
    }

    /// <summary>
    /// Time left: the queued and running runs of each configuration at its mean run time, shared over
    /// the runs training now (the cluster's busy slots); unknown until a run has finished.
    /// </summary>
    private static string Eta(SweepStatus status)
    {
        var busy = status.Configurations.Sum(c => c.Running + c.Leased);
        if (status.State != SweepState.Active) return "";
        var known = status.Configurations.Where(c => c.MeanRunSeconds is not null).ToList();
        if (busy == 0 || known.Count == 0) return "";
        var mean = known.Sum(c => c.MeanRunSeconds!.Value * c.Succeeded) / Math.Max(1, known.Sum(c => c.Succeeded));
        var seconds = status.Configurations.Sum(c => (c.Queued + c.Leased + c.Running) * (c.MeanRunSeconds ?? mean)) / busy;
        return $", about {TimeSpan.FromSeconds(seconds):hh\\:mm\\:ss} left";
    }

    private static string State(SweepState state) => state switch
    {
        SweepState.Active => "[green]active[/]",
        SweepState.Paused => "[yellow]paused[/]",
        SweepState.Cancelled => "[red]cancelled[/]",
        _ => "completed",
    };
}
