namespace Orchestrator.Models.Training;

/// <summary>Mean and sample standard deviation (n - 1) of one score over runs.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="StandardDeviation">Sample standard deviation; null for a single run, where it is undefined.</param>
public sealed record MeanDeviation(double Mean, double? StandardDeviation)
{
    public static MeanDeviation Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("No values: a mean needs at least one.", nameof(values));
        var mean = values.Average();
        double? deviation = values.Count < 2 ? null : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MeanDeviation(mean, deviation);
    }
}
