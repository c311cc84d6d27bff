namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>One summary line of an EmoEvaluation file, with where it was found.</summary>
internal sealed record LabelFileEntry(int Session, string Dialog, string Id, string Label, double Start, double End);
