namespace Orchestrator.Models.Features.Store;

/// <summary>One encoder that produced a store's streams, as the manifest records it.</summary>
/// <param name="Name">Role and model, e.g. <c>speech: facebook/wav2vec2-base</c>.</param>
/// <param name="Path">Where its checkpoint was read from (descriptive: moving a checkpoint does not invalidate a store).</param>
/// <param name="ConfigHash">Hash of what determines its outputs (config, and weights where the caller hashes them).</param>
/// <param name="Untrained">Whether it ran with random weights (smoke runs): such features are not the method's.</param>
public sealed record EncoderDescription(string Name, string Path, string ConfigHash, bool Untrained);
