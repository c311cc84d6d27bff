namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The Flite voices the synthetic corpus speaks with; all three synthesise 16 kHz, IEMOCAP's rate,
/// so no resampling is ever needed. cmu_us_rms is left out on purpose: it predicts F0 with SPAM
/// accent trees that ignore <c>int_f0_target_mean</c>/<c>_stddev</c>, so emotions could not move its pitch.
/// </summary>
public enum FliteVoice
{
    /// <summary>cmu_us_slt, female, clustergen.</summary>
    Slt,

    /// <summary>cmu_us_awb, male (Scottish English), clustergen.</summary>
    Awb,

    /// <summary>cmu_us_kal16, male, diphone.</summary>
    Kal16,
}
