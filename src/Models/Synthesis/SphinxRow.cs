namespace Orchestrator.Models.Synthesis;

/// <summary>One row of a Sphinx-3 segmentation file: inclusive 10 ms frames, acoustic score, label.</summary>
public sealed record SphinxRow(int StartFrame, int EndFrame, int Score, string Label);
