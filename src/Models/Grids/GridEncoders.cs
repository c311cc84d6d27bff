namespace Orchestrator.Models.Grids;

/// <summary>
/// The encoders a grid extracts its feature store with, each as <c>features extract</c> takes it:
/// a checkpoint folder (absolute, resolved from the grid file's folder), a hub id such as
/// <c>facebook/wav2vec2-base</c>, or <c>builtin</c> (tiny, not pre-trained: the demo's).
/// </summary>
/// <param name="Wav2Vec2">The speech encoder.</param>
/// <param name="Bert">The text encoder.</param>
public sealed record GridEncoders(string Wav2Vec2, string Bert);
