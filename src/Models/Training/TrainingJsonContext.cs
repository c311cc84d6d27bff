using System.Text.Json.Serialization;

namespace Orchestrator.Models.Training;

/// <summary>
/// Source-generated JSON metadata for the training results the CLI prints with --json: trimmed
/// or AOT-published hosts disable reflection-based serialization.
/// </summary>
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(CombinationResult))]
[JsonSerializable(typeof(CrossValidationSummary))]
[JsonSerializable(typeof(ClassificationMetrics))]
[JsonSerializable(typeof(RunSplit))]
[JsonSerializable(typeof(List<RunResult>))]
public sealed partial class TrainingJsonContext : JsonSerializerContext;
