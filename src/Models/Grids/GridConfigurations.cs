using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Models.Grids;

/// <summary>
/// Expands a grid's <c>configurations</c> list. Each item names a model and streams, either of
/// them a list: one configuration per model and stream set (<c>{model: linear, streams: [T, F]}</c>
/// is linear:T and linear:F; write <c>T+F</c> for one configuration over both). The item's
/// settings override the grid's <c>defaults</c>. Every configuration is checked against
/// <see cref="FusionModels.CheckStreams"/> and must appear once.
/// </summary>
internal static class GridConfigurations
{
    private static readonly IReadOnlyList<string> Keys = ["model", "streams", .. ConfigurationSettings.Names];

    /// <summary>The configurations of the list at <paramref name="node"/>, in file order.</summary>
    /// <param name="defaults">The grid's defaults, as a configuration whose options every item starts from.</param>
    public static IReadOnlyList<ModelConfiguration> Read(GridReader reader, YamlNode node, ModelConfiguration defaults)
    {
        var configurations = new List<ModelConfiguration>();
        var seen = new Dictionary<string, (string Key, YamlNode Node)>();
        foreach (var (item, path) in reader.List(node, "configurations", "configurations ({model: ..., streams: ...})"))
        {
            var entries = reader.Entries(item, path, "a configuration", Keys);
            var models = Models(reader, Required(reader, entries, item, path, "model", $"one of {ModelNames.Choices}")).ToList();
            var streamSets = StreamSets(reader, Required(reader, entries, item, path, "streams", "letters of T, F, P, S, W such as T+F")).ToList();
            var settings = ApplySettings(reader, entries, path, defaults);
            foreach (var model in models)
            {
                foreach (var (streams, streamsNode, streamsKey) in streamSets)
                {
                    try
                    {
                        FusionModels.CheckStreams(model, streams);
                    }
                    catch (ArgumentException e)
                    {
                        throw reader.Error(streamsNode, streamsKey, e.Message, e);
                    }
                    var configuration = ModelConfiguration.Of(model, streams) with { Options = settings.Options, Training = settings.Training };
                    if (seen.TryGetValue(configuration.Key, out var first))
                        throw reader.Error(streamsNode, streamsKey, $"{configuration.Key} is already in the grid ({first.Key}, line {first.Node.Start.Line}); each configuration appears once.");
                    seen[configuration.Key] = (streamsKey, streamsNode);
                    configurations.Add(configuration);
                }
            }
        }
        return configurations;
    }

    /// <summary><paramref name="start"/> with each setting of <paramref name="entries"/> applied (model and streams aside).</summary>
    public static ModelConfiguration ApplySettings(GridReader reader, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> entries, string? path, ModelConfiguration start)
    {
        var configuration = start;
        foreach (var (name, (_, value)) in entries)
        {
            if (ConfigurationSettings.Find(name) is not { } setting) continue;
            var key = GridReader.Join(path, name);
            try
            {
                configuration = setting.Apply(configuration, reader.Text(value, key));
            }
            catch (FormatException e)
            {
                throw reader.Error(value, key, e.Message, e);
            }
        }
        return configuration;
    }

    private static (YamlNode Node, string Key) Required(GridReader reader, IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> entries, YamlNode item, string path, string name, string expected) =>
        entries.TryGetValue(name, out var entry)
            ? (entry.Value, GridReader.Join(path, name))
            : throw reader.Error(item, GridReader.Join(path, name), $"missing: every configuration names its {name} ({expected}).");

    private static IEnumerable<ModelKind> Models(GridReader reader, (YamlNode Node, string Key) models)
    {
        foreach (var (node, key) in reader.OneOrMany(models.Node, models.Key))
        {
            var name = reader.Text(node, key);
            yield return ModelNames.TryParse(name, out var kind)
                ? kind
                : throw reader.Error(node, key, $"'{name}' is not one of {ModelNames.Choices}{ClosestName.Hint(name, ModelNames.All)}.");
        }
    }

    private static IEnumerable<(IReadOnlyList<StreamKind> Streams, YamlNode Node, string Key)> StreamSets(GridReader reader, (YamlNode Node, string Key) streams)
    {
        foreach (var (node, key) in reader.OneOrMany(streams.Node, streams.Key))
        {
            IReadOnlyList<StreamKind> kinds;
            try
            {
                kinds = StreamKinds.Parse(reader.Text(node, key));
            }
            catch (FormatException e)
            {
                throw reader.Error(node, key, e.Message, e);
            }
            yield return (kinds, node, key);
        }
    }
}
