namespace Orchestrator.Models.Features.Store;

/// <summary>What <see cref="StoreSize.Estimate"/> computed: bytes per stream and in all.</summary>
/// <param name="Hours">Hours of audio.</param>
/// <param name="StreamBytes">Embedding bytes per stream.</param>
/// <param name="SegmentFrameBytes">The int64 (N, 2) segment frame spans of P, S and W.</param>
public sealed record StoreSizeEstimate(double Hours, IReadOnlyDictionary<StreamKind, long> StreamBytes, long SegmentFrameBytes)
{
    /// <summary>Everything (shard headers and the manifest add well under 1 %).</summary>
    public long TotalBytes => StreamBytes.Values.Sum() + SegmentFrameBytes;

    /// <summary>One line: total and per stream, in GB (10^9 bytes).</summary>
    public override string ToString() =>
        $"{StoreSize.Gigabytes(TotalBytes)} for {Hours:0.#} h ("
        + string.Join(", ", StreamBytes.Select(s => $"{s.Key.Letter()} {StoreSize.Gigabytes(s.Value)}")) + ")";
}
