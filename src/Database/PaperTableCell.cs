namespace Orchestrator.Database;

/// <summary>A filled cell of the paper's Table 1 or 2 (<c>table1</c>, <c>table2</c>): UA in percent.</summary>
/// <param name="Row">Table 1: the stream ("T", "F", "P", "S", "W"); Table 2: the speech streams fused with the text ("F", "F+P", ...).</param>
/// <param name="Model">The column: linear or transformer (Table 1), coattention or late (Table 2).</param>
/// <param name="ConfigurationKey">The configuration in the cell, e.g. <c>coattention:T+F+P</c>.</param>
/// <param name="Runs">Succeeded runs averaged.</param>
/// <param name="UaMean">Mean unweighted accuracy (%).</param>
/// <param name="UaSd">Its sample standard deviation; null for one run.</param>
public sealed record PaperTableCell(string Row, string Model, string ConfigurationKey, int Runs, double UaMean, double? UaSd);
