namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The ten speakers, one female and one male per session. Flite has a single usable female voice, so the
/// five women are slt at different pitches and rates; the men alternate awb and kal16 with pitch offsets.
/// Speakers differ enough that per-speaker normalisation has something to do.
/// </summary>
public static class SpeakerCast
{
    public static readonly IReadOnlyList<SpeakerVoice> Speakers =
    [
        new(1, 'F', FliteVoice.Slt, new(1.00, 1.00, 1.0, 0)),
        new(1, 'M', FliteVoice.Awb, new(1.00, 1.00, 1.0, 0)),
        new(2, 'F', FliteVoice.Slt, new(1.06, 0.90, 0.9, -2)),
        new(2, 'M', FliteVoice.Kal16, new(0.95, 1.05, 1.1, 1)),
        new(3, 'F', FliteVoice.Slt, new(0.95, 1.10, 1.2, 1)),
        new(3, 'M', FliteVoice.Awb, new(1.05, 0.88, 0.9, -1)),
        new(4, 'F', FliteVoice.Slt, new(1.02, 0.95, 1.1, 2)),
        new(4, 'M', FliteVoice.Kal16, new(1.04, 0.92, 0.9, -2)),
        new(5, 'F', FliteVoice.Slt, new(0.97, 1.05, 0.95, -1)),
        new(5, 'M', FliteVoice.Awb, new(0.96, 1.10, 1.1, 2)),
    ];

    public static SpeakerVoice Of(int session, char gender) =>
        Speakers.Single(s => s.Session == session && s.Gender == gender);
}
