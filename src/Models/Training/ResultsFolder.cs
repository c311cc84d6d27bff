using System.Text.Json;

namespace Orchestrator.Models.Training;

/// <summary>
/// Finished runs on disk, one JSON file per configuration (<c>late_T+F.json</c>) holding its
/// <see cref="RunResult"/>s, test logits included. Each finished run is written at once
/// (temporary file, then rename), so an interrupted cross-validation keeps every finished run and
/// the next one skips them. PostgreSQL takes this role once the cluster is built.
/// </summary>
public sealed class ResultsFolder(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The file of a configuration key (characters unsafe in file names replaced).</summary>
    public string PathOf(string configurationKey) =>
        Path.Combine(Directory, string.Concat(configurationKey.Select(c => c is ':' or '/' or '\\' or '#' ? '_' : c)) + ".json");

    /// <summary>Every stored run of the configuration, ordered by repeat then fold; empty when none.</summary>
    public IReadOnlyList<RunResult> Load(string configurationKey) => LoadFile(PathOf(configurationKey), configurationKey);

    /// <summary>Reads a results file; <paramref name="expectedKey"/>, when given, must match every run in it.</summary>
    public static IReadOnlyList<RunResult> LoadFile(string path, string? expectedKey = null)
    {
        if (!File.Exists(path)) return [];
        List<RunResult>? runs;
        try
        {
            runs = JsonSerializer.Deserialize(File.ReadAllText(path), TrainingJsonContext.Default.ListRunResult);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a results file ({e.Message}).", e);
        }
        runs ??= [];
        if (expectedKey is not null && runs.FirstOrDefault(r => r.ConfigurationKey != expectedKey) is { } other)
            throw new InvalidDataException($"{path}: holds runs of '{other.ConfigurationKey}', expected '{expectedKey}'.");
        return runs.OrderBy(r => r.Repeat).ThenBy(r => r.Fold).ToList();
    }

    /// <summary>Name of the file holding the fingerprint of the feature store the runs were trained on.</summary>
    public const string StoreFile = "store-fingerprint";

    /// <summary>
    /// The version of the training protocol (RunTrainer's batching, splits, seeds). Raised whenever a
    /// change makes the same run give another result, so results of the old protocol are never mixed
    /// with new ones. 2: batches shuffled each epoch instead of sorted by length.
    /// </summary>
    public const int ProtocolVersion = 2;

    /// <summary>
    /// Binds the folder to the feature store its runs come from and to <see cref="ProtocolVersion"/>:
    /// the first call records both; a later call with another store or protocol throws, so runs
    /// trained on other features or under another protocol are never reused or combined with these.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds runs of another feature store or protocol.</exception>
    public ResultsFolder For(string storeFingerprint)
    {
        var path = Path.Combine(Directory, StoreFile);
        var binding = $"{storeFingerprint}\nprotocol {ProtocolVersion}\n";
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            var recorded = lines.ElementAtOrDefault(0)?.Trim() ?? "";
            if (recorded != storeFingerprint)
                throw new InvalidDataException($"{Directory} holds runs trained on another feature store (fingerprint {recorded[..Math.Min(16, recorded.Length)]}, this store {storeFingerprint[..Math.Min(16, storeFingerprint.Length)]}): choose another --results folder.");
            var protocol = lines.ElementAtOrDefault(1)?.Trim() ?? "protocol 1";
            if (protocol != $"protocol {ProtocolVersion}")
                throw new InvalidDataException($"{Directory} holds runs of training {protocol} (this build trains with protocol {ProtocolVersion}, whose runs give other results): choose another --results folder or delete it.");
            return this;
        }
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(path, binding);
        return this;
    }

    /// <summary>Adds (or replaces) one run of its configuration, atomically.</summary>
    public void Save(RunResult run)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(run.ConfigurationKey);
        var runs = Load(run.ConfigurationKey).Where(r => (r.Fold, r.Repeat) != (run.Fold, run.Repeat)).Append(run)
            .OrderBy(r => r.Repeat).ThenBy(r => r.Fold).ToList();
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(runs, TrainingJsonContext.Default.ListRunResult));
        File.Move(temporary, path, overwrite: true);
    }
}
