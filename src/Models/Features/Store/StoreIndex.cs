namespace Orchestrator.Models.Features.Store;

/// <summary>
/// The index of a store rebuilt from its shard headers, the truth of what it holds. Shards are read
/// in number order (the order they were written); a shard that fails validation is moved to
/// <c>quarantine/</c> and its utterances count as not extracted.
/// </summary>
internal sealed class StoreIndex
{
    private StoreIndex(Dictionary<string, UtteranceDocument> utterances, List<ShardDocument> shards, int nextShardNumber)
    {
        Utterances = utterances;
        Shards = shards;
        NextShardNumber = nextShardNumber;
    }

    /// <summary>Stored utterances by id, each with its <c>shard</c>.</summary>
    public Dictionary<string, UtteranceDocument> Utterances { get; }

    public List<ShardDocument> Shards { get; }

    /// <summary>One more than the highest shard number seen (quarantined ones included): names are never reused.</summary>
    public int NextShardNumber { get; set; }

    /// <summary>
    /// Reads every shard header under <paramref name="directory"/>/shards. An utterance found in two
    /// shards under the same key keeps its first copy (reported; the writer never produces this);
    /// under a different key the later shard supersedes the earlier (a re-extraction after its
    /// inputs changed).
    /// </summary>
    /// <exception cref="FeatureStoreMismatchException">A shard was written for a different extraction.</exception>
    public static StoreIndex Scan(string directory, StoreDescription requested, List<string> problems)
    {
        var folder = Path.Combine(directory, ShardNames.ShardFolder);
        Directory.CreateDirectory(folder);
        var utterances = new Dictionary<string, UtteranceDocument>(StringComparer.Ordinal);
        var shards = new List<ShardDocument>();
        var next = NextNumberIn(Path.Combine(directory, ShardNames.QuarantineFolder));

        var files = Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        foreach (var name in files)
        {
            var path = Path.Combine(folder, name);
            if (ShardNames.Number(name) is not { } number)
            {
                problems.Add($"{path}: not a shard name (NNNNNN{ShardNames.ShardExtension}); ignored.");
                continue;
            }
            next = Math.Max(next, number + 1);
            ShardHeader header;
            try
            {
                header = ShardHeader.Read(path);
            }
            catch (Exception e) when (e is FeatureStoreException or IOException)
            {
                var moved = Quarantine(directory, path);
                problems.Add($"{e.Message} Moved to {moved}; its utterances will be extracted again.");
                continue;
            }
            var differences = requested.DifferencesFrom(header.Description);
            if (differences.Count > 0) throw new FeatureStoreMismatchException(directory, [$"shard {path}", .. differences]);

            var relative = ShardNames.Relative(number);
            foreach (var utterance in header.Utterances)
            {
                if (utterances.TryGetValue(utterance.Id, out var earlier) && earlier.Key == utterance.Key)
                {
                    problems.Add($"{path}: utterance '{utterance.Id}' is also in {earlier.Shard} under the same key; the first copy is used.");
                    continue;
                }
                utterances[utterance.Id] = utterance.WithShard(relative);
            }
            shards.Add(new ShardDocument { File = relative, Bytes = header.FileLength, Utterances = header.Utterances.Count });
        }
        return new StoreIndex(utterances, shards, next);
    }

    private static int NextNumberIn(string folder) =>
        !Directory.Exists(folder) ? 0
        : Directory.GetFiles(folder).Select(f => ShardNames.Number(Path.GetFileName(f)) ?? -1).DefaultIfEmpty(-1).Max() + 1;

    /// <summary>Moves a bad shard to quarantine/ (never deleting anything) and returns where it went.</summary>
    private static string Quarantine(string directory, string path)
    {
        var folder = Path.Combine(directory, ShardNames.QuarantineFolder);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(path));
        for (var i = 1; File.Exists(target); i++) target = Path.Combine(folder, $"{Path.GetFileName(path)}.{i}");
        File.Move(path, target);
        return target;
    }
}
