namespace Orchestrator.Models.Features.Extraction;

/// <summary>An encoder as the user named it (folder, hub id or <c>builtin</c>) and the checkpoint folder it resolved to.</summary>
public sealed record EncoderSource(string Name, string Folder);
