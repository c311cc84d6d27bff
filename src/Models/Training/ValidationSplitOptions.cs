namespace Orchestrator.Models.Training;

/// <summary>How the validation part of a fold's training utterances is drawn (method.md section 1).</summary>
/// <param name="Fraction">Share of the training utterances held out for validation; the paper's 10 %.</param>
/// <param name="Stratified">Draw the share within each class, keeping class proportions; off in the paper.</param>
public sealed record ValidationSplitOptions(double Fraction = 0.1, bool Stratified = false)
{
    /// <summary>The paper's protocol: 10 %, not stratified.</summary>
    public static ValidationSplitOptions Default { get; } = new();
}
