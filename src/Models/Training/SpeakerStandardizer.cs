using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Per-speaker standardisation, the option of method.md section 1: each speaker's utterances are
/// standardised with the mean and standard deviation of that speaker's own utterances.
/// </summary>
/// <remarks>
/// That is what per-speaker normalisation means, and it has a consequence worth stating: a test
/// speaker (in IEMOCAP's leave-one-session-out folds, both speakers of the test session appear
/// nowhere else) is standardised with statistics of their own test utterances. Only the
/// embeddings are used, never the labels, so no label leaks; it does assume all of a speaker's
/// test utterances are available together (transductive), as the published per-speaker setups do.
/// The caller chooses the utterances each speaker's statistics cover (all of the speaker's
/// utterances, whichever split they are in, is the intended use).
/// </remarks>
public sealed class SpeakerStandardizer : IUtteranceStandardizer, IDisposable
{
    private readonly IReadOnlyDictionary<string, Standardizer> bySpeaker;

    private SpeakerStandardizer(IReadOnlyDictionary<string, Standardizer> bySpeaker) => this.bySpeaker = bySpeaker;

    /// <summary>The speakers with statistics.</summary>
    public IEnumerable<string> Speakers => bySpeaker.Keys;

    /// <inheritdoc/>
    public Standardizer For(string speaker) => bySpeaker.TryGetValue(speaker, out var standardizer)
        ? standardizer
        : throw new KeyNotFoundException($"No standardisation statistics for speaker '{speaker}'; per-speaker statistics must be fitted on every speaker that is standardised, test speakers included.");

    /// <summary>Statistics per speaker over the utterances (each (L, N, H)) given for that speaker, read one at a time.</summary>
    public static SpeakerStandardizer Fit(IEnumerable<(string Speaker, Tensor Utterance)> utterances, double epsilon = Standardizer.DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        var statistics = new Dictionary<string, StreamStatistics>(StringComparer.Ordinal);
        try
        {
            foreach (var (speaker, utterance) in utterances)
            {
                if (!statistics.TryGetValue(speaker, out var s)) statistics[speaker] = s = new StreamStatistics();
                s.Add(utterance);
            }
            return new SpeakerStandardizer(statistics.ToDictionary(p => p.Key, p => p.Value.ToStandardizer(epsilon), StringComparer.Ordinal));
        }
        finally
        {
            foreach (var s in statistics.Values) s.Dispose();
        }
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor utterance, string speaker) => For(speaker).Apply(utterance);

    public void Dispose()
    {
        foreach (var standardizer in bySpeaker.Values) standardizer.Dispose();
    }
}
