namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// A checkpoint (config, weights, tokenizer or preprocessing file) that cannot be used as it is.
/// The message names the file and the tensor, key or global at fault.
/// </summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
