using ScottPlot;

namespace Orchestrator.Client.Reports;

/// <summary>
/// One figure of a results report: a PNG and a caption, or, where the sweep lacks what it draws
/// (no Table 2 configuration, no recorded epochs), the reason it was left out.
/// </summary>
/// <param name="FileName">The PNG's name under <c>--plot DIR</c>: what it draws, then the configuration or run made safe for a file name.</param>
/// <param name="Title">A heading for the report.</param>
/// <param name="Caption">What the figure shows and the numbers behind it; the reason when left out.</param>
/// <param name="Png">The image; null when left out.</param>
public sealed record ReportFigure(string FileName, string Title, string Caption, byte[]? Png)
{
    /// <summary>Whether the figure was drawn.</summary>
    public bool Drawn => Png is not null;

    /// <summary>A drawn figure: <paramref name="plot"/> rendered as a <paramref name="width"/> x <paramref name="height"/> PNG.</summary>
    public static ReportFigure Of(string fileName, string title, string caption, Plot plot, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        plot.Dispose();
        return new ReportFigure(fileName, title, caption, png);
    }

    /// <summary>A figure the sweep has no data for: the report shows <paramref name="reason"/> in its place.</summary>
    public static ReportFigure LeftOut(string fileName, string title, string reason) => new(fileName, title, reason, null);

    /// <summary>
    /// <paramref name="text"/> as part of a file name: letters, digits and <c>+ - . =</c> kept, anything
    /// else (the colon of a key, brackets, commas, slashes) an underscore. <c>late:T+F</c> becomes <c>late_T+F</c>.
    /// </summary>
    public static string Safe(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or '=' ? c : '_')).Trim('.');
}
