namespace Orchestrator.Database;

/// <summary>
/// One (early, late) pair a sweep combines, scored by averaging the two runs' test logits per fold
/// and repeat (<c>run_combinations</c>), in percent. Scores are null while no pair of runs has succeeded.
/// </summary>
/// <param name="EarlyConfiguration">The early-fusion configuration's key.</param>
/// <param name="LateConfiguration">The late-fusion configuration's key.</param>
/// <param name="Runs">Combined (fold, repeat) pairs of runs.</param>
/// <param name="UaMean">Mean unweighted accuracy of the combined predictions (%).</param>
/// <param name="UaSd">Its sample standard deviation; null below two pairs.</param>
/// <param name="WaMean">Mean weighted accuracy (%).</param>
/// <param name="WaSd">Its sample standard deviation; null below two pairs.</param>
public sealed record SweepCombinationScore(
    string EarlyConfiguration,
    string LateConfiguration,
    int Runs,
    double? UaMean,
    double? UaSd,
    double? WaMean,
    double? WaSd)
{
    /// <summary>The combination's name, as <c>Combination.Evaluate</c> and the <c>table3</c> view write it.</summary>
    public string Name => $"{EarlyConfiguration} + {LateConfiguration}";
}
