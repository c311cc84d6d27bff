using System.Text.RegularExpressions;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Models.Grids;

/// <summary>
/// Reads a sweep from YAML (<c>grids/paper.yaml</c> is the paper's Tables 1-3):
/// <code>
/// name: paper                      # optional: the file name without extension
/// store: ../features/iemocap       # a feature store, or:
/// corpus: /data/IEMOCAP_full_release
/// encoders: {wav2vec2: facebook/wav2vec2-base, bert: bert-base-uncased}   # default builtin
/// folds: [1, 2, 3, 4, 5]           # optional: the test sessions, default every one
/// repeats: 5                       # optional, default 5
/// priority: 0                      # optional, default 0
/// defaults: {max-epochs: 100}      # optional: settings for every configuration
/// configurations:
///   - {model: [linear, transformer], streams: [T, F, P, S, W]}
///   - {model: coattention, streams: [T+F, T+F+P], heads: 8}
/// combinations:
///   - {early: coattention:T+F+P, late: late:T+F+S}
/// </code>
/// Settings are the <see cref="ConfigurationSettings"/> by name (<c>lr</c>, <c>width</c>,
/// <c>batch-order</c>, ...). Relative paths (store, corpus, encoder folders written as <c>./x</c>
/// or <c>../x</c>) start from the grid file's folder, so a grid means the same from any current
/// folder. It is read with YamlDotNet's representation model, which keeps every node's position, so
/// each mistake is reported as a <see cref="GridException"/> at its file, line, column and key.
/// </summary>
public static partial class GridFile
{
    /// <summary>The method's 5 repeats of the 5 folds.</summary>
    public const int DefaultRepeats = 5;

    private static readonly IReadOnlyList<string> TopLevelKeys =
        ["name", "store", "corpus", "encoders", "folds", "repeats", "priority", "defaults", "configurations", "combinations"];

    /// <summary>Reads the grid file at <paramref name="path"/>.</summary>
    /// <exception cref="GridException">The grid is malformed or invalid; the message gives file, line, column and key.</exception>
    public static Grid Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a grid from <paramref name="yaml"/>.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="sourceName">The file's path: named in messages, and the folder relative paths start from.</param>
    /// <exception cref="GridException">The grid is malformed or invalid; the message gives file, line, column and key.</exception>
    public static Grid Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new GridException(sourceName, (int)e.Start.Line, (int)e.Start.Column, null, e.Message, e);
        }
        var reader = new GridReader(sourceName, Path.GetDirectoryName(Path.GetFullPath(sourceName))!);
        if (stream.Documents.Count == 0)
            throw new GridException(sourceName, 1, 1, null, "the file is empty: a grid needs a store (or a corpus) and configurations.");
        if (stream.Documents.Count > 1)
            throw reader.Error(stream.Documents[1].RootNode, null, "a grid file holds one YAML document; this is a second.");
        var root = stream.Documents[0].RootNode;
        var entries = reader.Entries(root, null, "a grid", TopLevelKeys);
        YamlNode? Value(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;

        var name = Value("name") is { } nameNode ? reader.Text(nameNode, "name") : Path.GetFileNameWithoutExtension(sourceName);
        if (!SafeName().IsMatch(name))
            throw reader.Error(Value("name") ?? root, "name", $"'{name}' is not a sweep name: use letters, digits, '.', '-' and '_', starting with a letter or digit.");
        var (store, corpus, encoders) = ReadSource(reader, root, entries);
        var folds = Value("folds") is { } foldsNode ? ReadFolds(reader, foldsNode) : Enumerable.Range(1, IemocapLayout.SessionCount).ToList();
        var repeats = Value("repeats") is { } repeatsNode ? reader.Whole(repeatsNode, "repeats", min: 1) : DefaultRepeats;
        var priority = Value("priority") is { } priorityNode ? reader.Whole(priorityNode, "priority") : 0;
        var defaults = ModelConfiguration.Of(ModelKind.Linear, []);
        if (Value("defaults") is { } defaultsNode)
            defaults = GridConfigurations.ApplySettings(reader, reader.Entries(defaultsNode, "defaults", "defaults", ConfigurationSettings.Names), "defaults", defaults);
        var configurations = GridConfigurations.Read(reader,
            Value("configurations") ?? throw reader.Error(root, "configurations", "missing: a grid lists its configurations ({model: ..., streams: ...})."), defaults);
        var combinations = Value("combinations") is { } combinationsNode ? ReadCombinations(reader, combinationsNode, configurations, defaults) : [];
        return new Grid(name, store, corpus, encoders, folds, repeats, priority, configurations, combinations);
    }

    /// <summary>Either a store, or a corpus and the encoders to extract it with.</summary>
    private static (string? Store, string? Corpus, GridEncoders? Encoders) ReadSource(GridReader reader, YamlNode root, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> entries)
    {
        var hasStore = entries.TryGetValue("store", out var store);
        var hasCorpus = entries.TryGetValue("corpus", out var corpus);
        var hasEncoders = entries.TryGetValue("encoders", out var encoders);
        if (hasStore && hasCorpus)
            throw reader.Error(corpus.Key, "corpus", "give either store (a feature store to train on) or corpus (to extract one from), not both.");
        if (!hasStore && !hasCorpus)
            throw reader.Error(root, "store", "missing: a grid names a feature store (store: DIR) or a corpus to extract one from (corpus: DIR, with encoders).");
        if (hasStore && hasEncoders)
            throw reader.Error(encoders.Key, "encoders", "encoders extract a corpus; this grid reads an extracted store, whose encoders are fixed.");
        if (hasStore) return (reader.FullPath(reader.Text(store.Value, "store")), null, null);

        var names = new[] { "wav2vec2", "bert" };
        var given = hasEncoders ? reader.Entries(encoders.Value, "encoders", "encoders", names) : new Dictionary<string, (YamlNode Key, YamlNode Value)>();
        string Encoder(string name) => given.TryGetValue(name, out var entry) ? Checkpoint(reader, reader.Text(entry.Value, $"encoders.{name}")) : BuiltInEncoders.Name;
        return (null, reader.FullPath(reader.Text(corpus.Value, "corpus")), new GridEncoders(Encoder("wav2vec2"), Encoder("bert")));
    }

    /// <summary>
    /// <c>builtin</c> and hub ids as written; a folder written as a path (<c>/x</c>, <c>./x</c>,
    /// <c>../x</c>) made absolute from the grid's folder. Hub ids never start with '.' or '/', so the
    /// two cannot be confused.
    /// </summary>
    private static string Checkpoint(GridReader reader, string value) =>
        Path.IsPathRooted(value) || value is "." or ".." || value.StartsWith("./", StringComparison.Ordinal) || value.StartsWith("../", StringComparison.Ordinal)
            ? reader.FullPath(value)
            : value;

    private static IReadOnlyList<int> ReadFolds(GridReader reader, YamlNode node)
    {
        var folds = new List<int>();
        foreach (var (item, key) in reader.OneOrMany(node, "folds"))
        {
            var fold = reader.Whole(item, key, 1, IemocapLayout.SessionCount);
            if (folds.Contains(fold)) throw reader.Error(item, key, $"fold {fold} is listed twice.");
            folds.Add(fold);
        }
        return folds;
    }

    /// <summary>
    /// A combination names its members by key, read as a configuration entry is: the grid's
    /// <c>defaults</c> apply to every setting the key leaves out, so <c>coattention:T+W</c> names
    /// <c>coattention:T+W[per-speaker=true]</c> in a grid whose defaults set per-speaker.
    /// </summary>
    private static IReadOnlyList<GridCombination> ReadCombinations(GridReader reader, YamlNode node, IReadOnlyList<ModelConfiguration> configurations, ModelConfiguration defaults)
    {
        var keys = configurations.Select(c => c.Key).ToList();
        var combinations = new List<GridCombination>();
        foreach (var (item, path) in reader.List(node, "combinations", "combinations ({early: KEY, late: KEY})"))
        {
            var entries = reader.Entries(item, path, "a combination", ["early", "late"]);
            string Member(string role)
            {
                var key = GridReader.Join(path, role);
                var (_, value) = entries.TryGetValue(role, out var entry)
                    ? entry
                    : throw reader.Error(item, key, $"missing: a combination names an early and a late configuration by key, e.g. {{early: coattention:T+F+P, late: late:T+F+S}}.");
                var text = reader.Text(value, key);
                if (keys.Contains(text)) return text;
                return WithDefaults(text) is { } withDefaults && keys.Contains(withDefaults)
                    ? withDefaults
                    : throw reader.Error(value, key, $"'{text}' is not a configuration of this grid{ClosestName.Hint(text, keys)}.");
            }
            var combination = new GridCombination(Member("early"), Member("late"));
            if (combination.Early == combination.Late)
                throw reader.Error(entries["late"].Value, GridReader.Join(path, "late"), $"a combination averages two different configurations; both are {combination.Early}.");
            if (combinations.Contains(combination))
                throw reader.Error(item, path, $"the combination of {combination.Early} and {combination.Late} is listed twice.");
            combinations.Add(combination);
        }
        return combinations;

        string? WithDefaults(string text)
        {
            ModelConfiguration parsed;
            try
            {
                parsed = ModelConfiguration.ParseKey(text);
            }
            catch (FormatException)
            {
                return null;
            }
            var configuration = defaults with { Model = parsed.Model, Streams = parsed.Streams };
            foreach (var setting in ConfigurationSettings.All)
                if (!setting.IsDefault(parsed) && setting.Format(parsed) is { } value)
                    configuration = setting.Apply(configuration, value);                // the key's own settings win
            return configuration.Key;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();
}
