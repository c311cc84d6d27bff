namespace Orchestrator.Database;

/// <summary>
/// One configuration of a sweep with its scores over the succeeded runs of the sweep's store
/// (<c>configuration_scores</c>), in percent. Scores are null while no run has succeeded.
/// </summary>
/// <param name="ConfigurationKey"><c>ModelConfiguration.Key</c>, e.g. <c>late:T+F</c>.</param>
/// <param name="Model">linear, transformer, late, coattention or concat.</param>
/// <param name="Streams">"T+F+S": the stream letters in the paper's order.</param>
/// <param name="Variant">What the key adds to model:streams: empty for the method's default settings, else e.g. <c>[lr=0.0001]</c>.</param>
/// <param name="Position">Order in the grid, from 1.</param>
/// <param name="Runs">Succeeded runs of the configuration on the store, whichever sweep asked for them: the n of the scores.</param>
/// <param name="SweepRuns">Of those, the runs this sweep asks for; less than <paramref name="Runs"/> when other sweeps asked for more folds or repeats.</param>
/// <param name="UaMean">Mean unweighted accuracy (%).</param>
/// <param name="UaSd">Its sample standard deviation; null below two runs.</param>
/// <param name="WaMean">Mean weighted accuracy (%).</param>
/// <param name="WaSd">Its sample standard deviation; null below two runs.</param>
/// <param name="MacroF1Mean">Mean macro F1 (%).</param>
/// <param name="MacroF1Sd">Its sample standard deviation; null below two runs.</param>
/// <param name="CollapsedRuns">Runs that never predicted some class of their test session.</param>
public sealed record SweepConfigurationScore(
    string ConfigurationKey,
    string Model,
    string Streams,
    string Variant,
    int Position,
    int Runs,
    int SweepRuns,
    double? UaMean,
    double? UaSd,
    double? WaMean,
    double? WaSd,
    double? MacroF1Mean,
    double? MacroF1Sd,
    int CollapsedRuns)
{
    /// <summary>Whether the configuration has the method's default settings: only those are cells of the paper's tables.</summary>
    public bool IsDefault => Variant.Length == 0;
}
