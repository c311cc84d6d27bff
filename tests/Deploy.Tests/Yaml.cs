using YamlDotNet.RepresentationModel;

namespace Orchestrator.Deploy.Tests;

/// <summary>
/// YAML as plain values: mappings become <see cref="Map"/> (key order kept), sequences
/// <see cref="List{T}"/> of object, scalars strings. Aliases are resolved and merge keys
/// (<c>&lt;&lt;: *anchor</c>, as docker-compose files use them) applied, keys of the mapping itself winning.
/// </summary>
public static class Yaml
{
    public static List<object?> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => Convert(d.RootNode)).Where(d => d is not null).ToList();
    }

    public static object? Load(string text) => LoadAll(text).Single();

    public static Map LoadMap(string text) => Load(text) as Map ?? throw new InvalidDataException("The document is not a mapping.");

    private static object? Convert(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value is null || (s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "~" or "null" or "") ? null : s.Value,
        YamlSequenceNode seq => seq.Children.Select(Convert).ToList(),
        YamlMappingNode map => ConvertMap(map),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}"),
    };

    private static Map ConvertMap(YamlMappingNode node)
    {
        var map = new Map();
        foreach (var (key, value) in node.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<") continue;
            map[name] = Convert(value);
        }
        foreach (var (key, value) in node.Children)
        {
            if (((YamlScalarNode)key).Value != "<<") continue;
            var sources = value is YamlSequenceNode seq ? seq.Children.ToList() : [value];
            foreach (var source in sources)
                foreach (var (k, v) in ConvertMap((YamlMappingNode)source))
                    map.TryAdd(k, v);
        }
        return map;
    }
}

/// <summary>A YAML or JSON mapping with typed look-ups by path.</summary>
public sealed class Map : Dictionary<string, object?>
{
    /// <summary>The value at a dotted path (<c>spec.template.metadata</c>), or null.</summary>
    public object? At(string path)
    {
        object? current = this;
        foreach (var part in path.Split('.'))
            current = current is Map m && m.TryGetValue(part, out var next) ? next : null;
        return current;
    }

    public Map? MapAt(string path) => At(path) as Map;

    public string? StringAt(string path) => At(path) as string;

    public List<object?> ListAt(string path) => At(path) as List<object?> ?? [];

    public IEnumerable<Map> MapsAt(string path) => ListAt(path).OfType<Map>();

    /// <summary>A mapping of strings (labels, selectors) at a path; empty when absent.</summary>
    public Dictionary<string, string> StringsAt(string path) =>
        (MapAt(path) ?? []).ToDictionary(kv => kv.Key, kv => kv.Value as string ?? "");
}
