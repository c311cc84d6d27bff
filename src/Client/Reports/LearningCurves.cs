using Orchestrator.Database;
using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// One run's learning curves: training loss per epoch on the left axis, validation UA (%) on the
/// right, and a line at the epoch early stopping kept (the last best validation), whose test scores
/// the run reports.
/// </summary>
public static class LearningCurves
{
    public static string FileName(ReportRun run) => $"learning-{ReportFigure.Safe(run.ConfigurationKey)}-fold{run.Fold}-repeat{run.Repeat}.png";

    /// <param name="run">The run.</param>
    /// <param name="epochs">Its epochs in order; empty when it recorded none.</param>
    public static ReportFigure Draw(ReportRun run, IReadOnlyList<EpochMetric> epochs)
    {
        var title = $"Learning curves: {run.ConfigurationKey}, fold {run.Fold}, repeat {run.Repeat}";
        if (epochs.Count == 0) return ReportFigure.LeftOut(FileName(run), title, "Left out: the run recorded no epochs.");

        var plot = Charts.New(title);
        double[] x = [.. epochs.Select(e => (double)e.Epoch)];
        var loss = plot.Add.Scatter(x, [.. epochs.Select(e => e.TrainingLoss)], Colors.FireBrick);
        loss.LegendText = "training loss";
        loss.LineWidth = 2;
        var validation = plot.Add.Scatter(x, [.. epochs.Select(e => 100 * e.ValidationUa)], Colors.SteelBlue);
        validation.LegendText = "validation UA (%)";
        validation.LineWidth = 2;
        validation.Axes.YAxis = plot.Axes.Right;
        var kept = epochs.LastOrDefault(e => e.Best) ?? epochs.MaxBy(e => e.ValidationUa)!;
        var line = plot.Add.VerticalLine(kept.Epoch, 1, Colors.Gray, LinePattern.Dashed);
        line.LegendText = $"kept: epoch {kept.Epoch}";
        plot.XLabel("epoch");
        plot.YLabel("training loss");
        plot.Axes.Right.Label.Text = "validation UA (%)";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);

        var caption = $"Run {run.RunId} ({run.ConfigurationKey}, fold {run.Fold}, repeat {run.Repeat}): {epochs.Count} epochs; " +
                      $"training loss {Charts.F(epochs[0].TrainingLoss)} to {Charts.F(epochs[^1].TrainingLoss)}; best validation UA {Charts.F(100 * kept.ValidationUa)}% " +
                      $"at epoch {kept.Epoch}; test UA {Charts.F(100 * run.Ua)}%.";
        return ReportFigure.Of(FileName(run), title, caption, plot, 640, 440);
    }
}
