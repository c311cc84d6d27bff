namespace Orchestrator.Database;

/// <summary>What became of one <see cref="RunCompletion"/> of a batch.</summary>
/// <param name="Recorded">True when this batch recorded the result; false when one was recorded already (or earlier in the same batch).</param>
/// <param name="Refusal">Why the result was refused (no such run, a result of another run, logits without labels); null when it was not.</param>
public sealed record CompletionOutcome(bool Recorded, string? Refusal);
