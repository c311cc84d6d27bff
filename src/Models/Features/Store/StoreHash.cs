using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Models.Features.Store;

/// <summary>The hashes a feature store is keyed by: lower-case SHA-256 hex.</summary>
public static class StoreHash
{
    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SHA-256 of <paramref name="bytes"/> (a wav file's contents, say).</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The store fingerprint: one hash of what makes the stored features what they are (extraction
    /// fingerprint, dtype, layers) and of every stored utterance's id and key, in ordinal id order.
    /// Two stores with the same fingerprint hold the same features.
    /// </summary>
    public static string StoreFingerprint(StoreDescription description, IEnumerable<(string Id, string Key)> utterances)
    {
        var text = new StringBuilder()
            .Append("orchestrator-feature-store/1\n")
            .Append(description.ExtractionFingerprint).Append('\n')
            .Append(description.DType.Name()).Append('\n')
            .Append(string.Join(",", description.SpeechLayers)).Append('\n')
            .Append(string.Join(",", description.TextLayers)).Append('\n');
        foreach (var (id, key) in utterances.OrderBy(u => u.Id, StringComparer.Ordinal))
            text.Append(id).Append('\t').Append(key).Append('\n');
        return Of(text.ToString());
    }
}
