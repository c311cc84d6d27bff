namespace Orchestrator.Models.Synthesis;

/// <summary>Ground-truth counts of one session.</summary>
/// <param name="Session">1 to 5.</param>
/// <param name="Utterances">All utterances, every label.</param>
/// <param name="FourClass">4-class utterances per class code (exc counted as hap).</param>
public sealed record SessionCounts(int Session, int Utterances, IReadOnlyDictionary<string, int> FourClass);
