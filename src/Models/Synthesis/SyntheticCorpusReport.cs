namespace Orchestrator.Models.Synthesis;

/// <summary>What <see cref="SyntheticCorpus.Write"/> made and how long it took.</summary>
/// <param name="Root">The corpus folder.</param>
/// <param name="Manifest">Also written as <c>synthesis.json</c>.</param>
/// <param name="Elapsed">Wall time of the whole write.</param>
/// <param name="Synthesis">Time spent inside Flite and level setting (the single-threaded part), summed over worker processes when there are several.</param>
public sealed record SyntheticCorpusReport(string Root, SynthesisManifest Manifest, TimeSpan Elapsed, TimeSpan Synthesis)
{
    /// <summary>Wall time per utterance in milliseconds.</summary>
    public double MillisecondsPerUtterance => Elapsed.TotalMilliseconds / Math.Max(1, Manifest.Utterances);
}
