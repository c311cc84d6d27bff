namespace Orchestrator.Database;

/// <summary>A row of the paper's Table 3 (<c>table3</c>): UA in percent.</summary>
/// <param name="Method">concat, the early-fusion model a combination uses (coattention in the paper), late, or combination.</param>
/// <param name="Configuration">The configuration's key; for a combination, <c>early + late</c>.</param>
/// <param name="Runs">Succeeded runs (for a combination, pairs of runs) averaged.</param>
/// <param name="UaMean">Mean unweighted accuracy (%).</param>
/// <param name="UaSd">Its sample standard deviation; null for one run.</param>
public sealed record Table3Entry(string Method, string Configuration, int Runs, double UaMean, double? UaSd);
