using System.Text.Json;

namespace Orchestrator.Models.Features.Store;

/// <summary>Serializer settings for the manifest and shard metadata, and atomic writes of small files.</summary>
internal static class StoreJson
{
    /// <summary>Required keys must be present and non-nullable values non-null.</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = StoreJsonContext.Default,
    };

    public static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    /// <summary>Parses <paramref name="json"/>; the exception names <paramref name="where"/>.</summary>
    public static T Parse<T>(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Compact) ?? throw new FeatureStoreException($"{where}: is JSON null.");
        }
        catch (JsonException e)
        {
            throw new FeatureStoreException($"{where}: invalid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="path"/> by writing a temporary file beside it and renaming it over the old one.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
