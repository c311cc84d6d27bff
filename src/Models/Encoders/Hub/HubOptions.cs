namespace Orchestrator.Models.Encoders.Hub;

/// <summary>Where model ids are looked up and cached; <see cref="FromEnvironment"/> reads HF's own variables.</summary>
public sealed record HubOptions
{
    /// <summary>Base address of the hub (<c>HF_ENDPOINT</c>, default https://huggingface.co).</summary>
    public string Endpoint { get; init; } = "https://huggingface.co";

    /// <summary>The hub cache folder (<c>HF_HUB_CACHE</c>, else <c>HF_HOME</c>/hub, else ~/.cache/huggingface/hub).</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory(null, null);

    /// <summary>Use the cache only, never the network (<c>HF_HUB_OFFLINE=1</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>Branch, tag or commit to resolve (default main).</summary>
    public string Revision { get; init; } = "main";

    /// <summary>Bearer token for gated or private models (<c>HF_TOKEN</c>); sent to the endpoint's host only.</summary>
    public string? Token { get; init; }

    /// <summary>Options from the environment, as huggingface_hub reads them.</summary>
    public static HubOptions FromEnvironment()
    {
        static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        return new HubOptions
        {
            Endpoint = (Get("HF_ENDPOINT") ?? "https://huggingface.co").TrimEnd('/'),
            CacheDirectory = DefaultCacheDirectory(Get("HF_HUB_CACHE"), Get("HF_HOME")),
            Offline = Get("HF_HUB_OFFLINE") is "1" or "true" or "TRUE" or "yes" or "ON" or "on",
            Token = Get("HF_TOKEN"),
        };
    }

    private static string DefaultCacheDirectory(string? hubCache, string? home) =>
        hubCache ?? Path.Combine(home ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface"), "hub");
}
