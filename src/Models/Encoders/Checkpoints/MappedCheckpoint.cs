namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// A checkpoint's tensors under the base model's own names (prefix stripped, legacy names
/// renamed), and what was set aside: task heads and unused buffers.
/// </summary>
public sealed class MappedCheckpoint
{
    private MappedCheckpoint(string source, IReadOnlyDictionary<string, StoredTensor> tensors, IReadOnlyList<string> ignored)
    {
        Source = source;
        Tensors = tensors;
        Ignored = ignored;
    }

    /// <summary>Where the tensors came from (file or folder), for messages.</summary>
    public string Source { get; }

    /// <summary>Base-model tensors by model name.</summary>
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; }

    /// <summary>Stored names that were ignored (heads, unused buffers).</summary>
    public IReadOnlyList<string> Ignored { get; }

    /// <summary>
    /// Maps stored names to model names. If any name has the base prefix, the checkpoint is a task
    /// model: prefixed names are the base model and every other name is a head. Otherwise names
    /// starting with a known head prefix are heads. Two stored names that map to one model name
    /// (both weight-norm spellings, say) are an error naming both.
    /// </summary>
    public static MappedCheckpoint Map(string source, IReadOnlyDictionary<string, StoredTensor> stored, CheckpointNaming naming)
    {
        var prefixed = stored.Keys.Any(k => k.StartsWith(naming.BasePrefix, StringComparison.Ordinal));
        var tensors = new Dictionary<string, StoredTensor>();
        var origin = new Dictionary<string, string>();
        var ignored = new List<string>();
        foreach (var (name, tensor) in stored)
        {
            string baseName;
            if (prefixed)
            {
                if (!name.StartsWith(naming.BasePrefix, StringComparison.Ordinal)) { ignored.Add(name); continue; }
                baseName = name[naming.BasePrefix.Length..];
            }
            else
            {
                if (naming.HeadPrefixes.Any(h => name.StartsWith(h, StringComparison.Ordinal))) { ignored.Add(name); continue; }
                baseName = name;
            }
            var canonical = CheckpointNaming.Canonical(baseName);
            if (naming.IgnoredNames.Contains(canonical)) { ignored.Add(name); continue; }
            if (origin.TryGetValue(canonical, out var other))
                throw new CheckpointException($"{source}: '{other}' and '{name}' both hold '{canonical}'.");
            origin[canonical] = name;
            tensors[canonical] = tensor;
        }
        return new MappedCheckpoint(source, tensors, ignored);
    }
}
