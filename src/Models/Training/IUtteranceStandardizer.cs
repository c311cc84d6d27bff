using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Standardises one utterance's stream (L, N, H) before batching: the trainer calls this without
/// knowing whether statistics are global (<see cref="Standardizer"/>) or per speaker
/// (<see cref="SpeakerStandardizer"/>), the option of method.md section 1.
/// </summary>
public interface IUtteranceStandardizer
{
    /// <summary>A new tensor: <paramref name="utterance"/> (L, N, H) standardised; the caller owns it.</summary>
    Tensor Apply(Tensor utterance, string speaker);

    /// <summary>The statistics that standardise <paramref name="speaker"/>'s utterances (owned by this standardiser).</summary>
    Standardizer For(string speaker);
}
