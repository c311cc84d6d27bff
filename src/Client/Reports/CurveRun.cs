namespace Orchestrator.Client.Reports;

/// <summary>A run picked for learning curves: <c>KEY</c> (its first fold, repeat 1) or <c>KEY/FOLD/REPEAT</c>.</summary>
public sealed record CurveRun(string ConfigurationKey, int? Fold, int Repeat)
{
    /// <exception cref="ArgumentException">Not KEY or KEY/FOLD/REPEAT with whole numbers.</exception>
    public static CurveRun Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 1 && parts[0].Trim().Length > 0) return new CurveRun(parts[0].Trim(), null, 1);
        if (parts.Length == 3 && parts[0].Trim().Length > 0 && int.TryParse(parts[1], out var fold) && int.TryParse(parts[2], out var repeat))
            return new CurveRun(parts[0].Trim(), fold, repeat);
        throw new ArgumentException($"--curves {text}: name a run as KEY/FOLD/REPEAT (late:T+F/2/1), or KEY for its first fold, repeat 1.");
    }
}
