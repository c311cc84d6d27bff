namespace Orchestrator.Models.Synthesis;

/// <summary>One synthetic speaker: a Flite voice with personal habits layered on top.</summary>
/// <param name="Session">1 to 5.</param>
/// <param name="Gender">'F' or 'M'.</param>
/// <param name="Voice">The Flite voice.</param>
/// <param name="Habits">The speaker's own rate, pitch, range and level, applied before any emotion.</param>
public sealed record SpeakerVoice(int Session, char Gender, FliteVoice Voice, ProsodyStyle Habits)
{
    /// <summary>Same form as <c>Utterance.Speaker</c>: <c>Ses01F</c>.</summary>
    public string Name => $"Ses{Session:00}{Gender}";
}
