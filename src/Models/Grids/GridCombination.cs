namespace Orchestrator.Models.Grids;

/// <summary>
/// A Table 3 row: the test logits of two of the grid's configurations averaged run by run
/// (<see cref="Training.Combination"/>), named by their keys.
/// </summary>
/// <param name="Early">The early-fusion configuration's key, e.g. <c>coattention:T+F+P</c>.</param>
/// <param name="Late">The late-fusion configuration's key, e.g. <c>late:T+F+S</c>.</param>
public sealed record GridCombination(string Early, string Late);
