using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Models.Grids;

/// <summary>
/// Reads values out of a grid file's YAML nodes, turning every mismatch into a
/// <see cref="GridException"/> at the node's own line and column, and resolves the file's paths
/// against the folder it lives in.
/// </summary>
/// <param name="sourceName">The file, for messages.</param>
/// <param name="directory">The folder relative paths start from: the grid file's.</param>
internal sealed class GridReader(string sourceName, string directory)
{
    /// <summary>An error at <paramref name="node"/>.</summary>
    public GridException Error(YamlNode node, string? key, string problem, Exception? inner = null) =>
        new(sourceName, (int)node.Start.Line, (int)node.Start.Column, key, problem, inner);

    /// <summary>The entries of a mapping by name, refusing names not in <paramref name="allowed"/> with a did-you-mean.</summary>
    /// <param name="what">The mapping, for messages: "a grid", "a configuration".</param>
    public IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> Entries(YamlNode node, string? path, string what, IReadOnlyList<string> allowed)
    {
        var mapping = node as YamlMappingNode ?? throw Error(node, path, $"{what} is a mapping (name: value), not {Describe(node)}.");
        var entries = new Dictionary<string, (YamlNode Key, YamlNode Value)>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? throw Error(keyNode, path, $"the keys of {what} are names, not {Describe(keyNode)}.");
            if (!allowed.Contains(name))
                throw Error(keyNode, Join(path, name), $"'{name}' is not a key of {what}{ClosestName.Hint(name, allowed)}; the keys are {string.Join(", ", allowed)}.");
            entries[name] = (keyNode, value);
        }
        return entries;
    }

    /// <summary>The items of a list, or the node itself when it is a single value: <c>streams: T</c> as <c>streams: [T]</c>.</summary>
    public IReadOnlyList<(YamlNode Node, string Key)> OneOrMany(YamlNode node, string key)
    {
        if (node is not YamlSequenceNode sequence) return [(node, key)];
        if (sequence.Children.Count == 0) throw Error(node, key, "the list is empty.");
        return sequence.Children.Select((item, i) => (item, $"{key}[{i}]")).ToList();
    }

    /// <summary>The items of a list that must not be empty.</summary>
    public IReadOnlyList<(YamlNode Node, string Key)> List(YamlNode node, string key, string what) =>
        node is YamlSequenceNode { Children.Count: > 0 } ? OneOrMany(node, key) : throw Error(node, key, $"expected a non-empty list of {what}, got {Describe(node)}.");

    /// <summary>A scalar's text; null, <c>~</c> and empty values are refused.</summary>
    public string Text(YamlNode node, string key)
    {
        if (node is not YamlScalarNode { Value: { } value } scalar) throw Error(node, key, $"expected a value, got {Describe(node)}.");
        var isNull = scalar.Style is YamlDotNet.Core.ScalarStyle.Plain && value is "" or "~" or "null" or "Null" or "NULL";
        return isNull || value.Length == 0 ? throw Error(node, key, "a value is missing.") : value;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Whole(YamlNode node, string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Text(node, key);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(node, key, $"'{text}' is not a whole number.");
        if (value < min || value > max)
            throw Error(node, key, max == int.MaxValue ? $"{value} is out of range: at least {min}." : $"{value} is out of range: {min} to {max}.");
        return value;
    }

    /// <summary>A path as an absolute one, relative paths taken from the grid file's folder.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, directory);

    /// <summary><c>parent.name</c>, or <c>name</c> at the top level.</summary>
    public static string Join(string? parent, string name) => parent is null ? name : $"{parent}.{name}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode { Value: var v } => $"'{v}'",
        _ => "an alias",
    };
}
