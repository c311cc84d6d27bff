namespace Orchestrator.Models.Features.Store;

/// <summary>How <see cref="FeatureStoreWriter"/> opens and fills a store.</summary>
/// <param name="ShardBytes">
/// A shard is written once the buffered utterances reach this many bytes (default 256 MiB): the
/// most a kill can lose, and the writer's buffer size.
/// </param>
/// <param name="Overwrite">
/// Clear an existing store first (its manifest, shards, quarantine). A non-empty folder that is not
/// a store is never cleared.
/// </param>
public sealed record StoreWriterOptions(long ShardBytes = 256L << 20, bool Overwrite = false);
