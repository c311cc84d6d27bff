namespace Orchestrator.Models.Features.Extraction;

/// <summary>Where an extraction is: <paramref name="Phase"/> is "hashing" (content keys) or "encoding".</summary>
public readonly record struct ExtractionProgress(string Phase, int Done, int Total);
