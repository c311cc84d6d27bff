namespace Orchestrator.Models.Training;

/// <summary>
/// The utterance ids of one run, each list in ordinal order: every utterance of the corpus is in
/// exactly one of the three. <see cref="Test"/> is the fold's session; <see cref="Validation"/> is
/// drawn from the other sessions with the repeat's seed.
/// </summary>
public sealed record RunSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test);
