namespace Orchestrator.Models.Synthesis;

/// <summary>What the evaluators of one utterance said, as an EmoEvaluation block shows it.</summary>
/// <param name="Valence">Mean of the dimensional votes, 1 to 5.</param>
/// <param name="Activation">Mean of the dimensional votes, 1 to 5.</param>
/// <param name="Dominance">Mean of the dimensional votes, 1 to 5.</param>
/// <param name="Lines">The evaluator lines (<c>C-E1:</c>, <c>A-E3:</c>, ...) that follow the summary line.</param>
public sealed record EmoAnnotation(double Valence, double Activation, double Dominance, IReadOnlyList<string> Lines);
