namespace Orchestrator.Models.Encoders.Bert;

/// <summary>A tokenised text (or text pair) ready for <see cref="BertModel"/>.</summary>
/// <param name="InputIds">Token ids with [CLS] and [SEP].</param>
/// <param name="TokenTypeIds">0 for [CLS] A [SEP], 1 for B [SEP].</param>
/// <param name="Tokens">The WordPiece strings of <paramref name="InputIds"/>.</param>
/// <param name="TruncatedTokens">WordPieces dropped to fit the model's maximum length (0 when nothing was dropped).</param>
public sealed record BertEncoding(int[] InputIds, int[] TokenTypeIds, string[] Tokens, int TruncatedTokens)
{
    /// <summary>Whether the text was cut to fit.</summary>
    public bool Truncated => TruncatedTokens > 0;
}
