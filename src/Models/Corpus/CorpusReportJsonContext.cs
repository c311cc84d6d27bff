using System.Text.Json.Serialization;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// Source-generated JSON metadata for <see cref="CorpusReport"/>: trimmed or AOT-published
/// hosts (file-based apps default to AOT) disable reflection-based serialization.
/// </summary>
[JsonSerializable(typeof(CorpusReport))]
internal sealed partial class CorpusReportJsonContext : JsonSerializerContext;
