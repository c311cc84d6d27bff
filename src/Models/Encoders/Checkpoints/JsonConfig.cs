using System.Text.Json;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// Typed, checked access to a HF JSON config (config.json, preprocessor_config.json,
/// tokenizer_config.json). Missing keys take the caller's default (HF's class default); keys of
/// the wrong type are refused with the file and key named.
/// </summary>
public sealed class JsonConfig
{
    private readonly JsonElement _root;

    private JsonConfig(string path, JsonElement root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>Runs a config's contract checks, turning their <see cref="ArgumentException"/> into an error that names this file.</summary>
    public T Validated<T>(T config, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{Path}: {e.Message}", e);
        }
        return config;
    }

    /// <summary>Reads and parses <paramref name="path"/>; a missing file or bad JSON is a <see cref="CheckpointException"/>.</summary>
    public static JsonConfig Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path} does not exist.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: expected a JSON object.");
            return new JsonConfig(path, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Whether the key is present and not null.</summary>
    public bool Has(string key) => _root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>An integer value.</summary>
    public int Int(string key, int fallback) => GetValue(key, fallback, v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : (int?)null, "an integer");

    /// <summary>A number.</summary>
    public double Double(string key, double fallback) => GetValue(key, fallback, v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null, "a number");

    /// <summary>A boolean.</summary>
    public bool Bool(string key, bool fallback) => GetValue(key, fallback, v => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => (bool?)null,
    }, "true or false");

    /// <summary>A boolean that may be null or absent (HF's tri-state options such as strip_accents).</summary>
    public bool? OptionalBool(string key) => Has(key) ? Bool(key, false) : null;

    /// <summary>A string.</summary>
    public string String(string key, string fallback) => Get(key, fallback, v => v.ValueKind == JsonValueKind.String ? v.GetString() : null, "a string");

    /// <summary>A string, or the <c>content</c> of an AddedToken object (tokenizer_config special tokens).</summary>
    public string TokenString(string key, string fallback) => Get(key, fallback, v => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Object when v.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
        _ => null,
    }, "a string or {\"content\": ...}");

    /// <summary>An array of integers.</summary>
    public int[] IntArray(string key, int[] fallback) => Get(key, fallback, v => v.ValueKind == JsonValueKind.Array
        && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _))
            ? v.EnumerateArray().Select(e => e.GetInt32()).ToArray()
            : null, "an array of integers");

    /// <summary>A string-to-string map (the weight_map of a sharded index).</summary>
    public Dictionary<string, string> StringMap(string key) =>
        _root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object
        && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String)
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : throw new CheckpointException($"{Path}: '{key}' must be an object of strings.");

    private T GetValue<T>(string key, T fallback, Func<JsonElement, T?> convert, string expected) where T : struct
    {
        if (!_root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        return convert(value) ?? throw new CheckpointException($"{Path}: '{key}' must be {expected}, found {value.GetRawText()}.");
    }

    private T Get<T>(string key, T fallback, Func<JsonElement, T?> convert, string expected) where T : class
    {
        if (!_root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        var converted = convert(value);
        return converted is not null
            ? converted
            : throw new CheckpointException($"{Path}: '{key}' must be {expected}, found {value.GetRawText()}.");
    }
}
