using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Hub;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class HubModelResolverTests : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly LoopbackHub _hub = new(new()
    {
        ["tiny/wav2vec2"] = Fixtures.Folder("wav2vec2"),
        ["tiny/bert"] = Fixtures.Folder("bert-prefixed"),
    });

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
    }

    private HubOptions Options(bool offline = false) => new() { Endpoint = _hub.Endpoint, CacheDirectory = _cache.Path, Offline = offline };

    [Fact]
    public async Task A_model_id_is_downloaded_into_the_hub_cache_layout_and_loads()
    {
        using var resolver = new HubModelResolver(Options());

        var folder = await resolver.ResolveAsync("tiny/wav2vec2");

        Assert.Equal(Path.Combine(_cache.Path, "models--tiny--wav2vec2", "snapshots", LoopbackHub.Commit), folder);
        Assert.Equal(LoopbackHub.Commit, File.ReadAllText(Path.Combine(_cache.Path, "models--tiny--wav2vec2", "refs", "main")));
        Assert.True(File.Exists(Path.Combine(folder, "preprocessor_config.json")));
        Assert.False(File.Exists(Path.Combine(folder, "pytorch_model.bin")));   // the preferred weights only
        using var encoder = SpeechEncoder.Load(folder);
        Assert.Equal(3, encoder.Config.NumHiddenLayers);
    }

    [Fact]
    public async Task A_cached_model_is_resolved_without_the_network_and_offline()
    {
        using (var online = new HubModelResolver(Options())) await online.ResolveAsync("tiny/bert");
        var before = _hub.Requests.Count;
        using var offline = new HubModelResolver(Options(offline: true));

        var folder = await offline.ResolveAsync("tiny/bert");

        Assert.Equal(before, _hub.Requests.Count);
        using var encoder = TextEncoder.Load(folder);
        using var encoding = encoder.Encode("the cat sat");
        Assert.Equal(3, encoding.States.LayerCount);
    }

    [Fact]
    public async Task Offline_with_an_empty_cache_names_the_id_and_the_cache()
    {
        using var resolver = new HubModelResolver(Options(offline: true));

        var error = await Assert.ThrowsAsync<CheckpointException>(() => resolver.ResolveAsync("tiny/wav2vec2"));

        Assert.Contains("tiny/wav2vec2", error.Message);
        Assert.Contains(_cache.Path, error.Message);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task An_interrupted_download_is_resumed_with_a_range_request()
    {
        var staging = Path.Combine(_cache.Path, "models--tiny--wav2vec2", "snapshots", ".downloading-main");
        Directory.CreateDirectory(staging);
        var weights = File.ReadAllBytes(Fixtures.File("wav2vec2", "model.safetensors"));
        File.WriteAllBytes(Path.Combine(staging, "model.safetensors.incomplete"), weights[..1000]);
        using var resolver = new HubModelResolver(Options());

        var folder = await resolver.ResolveAsync("tiny/wav2vec2");

        Assert.Contains("GET /cdn/tiny/wav2vec2/model.safetensors bytes=1000-", _hub.Requests);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
    }

    [Fact]
    public async Task A_download_whose_hash_does_not_match_is_refused_and_removed()
    {
        _hub.CorruptFile = "model.safetensors";
        using var resolver = new HubModelResolver(Options());

        var error = await Assert.ThrowsAsync<CheckpointException>(() => resolver.ResolveAsync("tiny/wav2vec2"));

        Assert.Contains("SHA-256", error.Message);
        Assert.Empty(Directory.GetFiles(_cache.Path, "model.safetensors*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_naming_the_url()
    {
        using var resolver = new HubModelResolver(Options());

        var error = await Assert.ThrowsAsync<CheckpointException>(() => resolver.ResolveAsync("tiny/nothing"));

        Assert.Contains("/tiny/nothing/resolve/main/config.json", error.Message);
    }

    [Fact]
    public async Task A_cache_filled_by_huggingface_hub_is_used_as_it_is()
    {
        var snapshot = Path.Combine(_cache.Path, "models--facebook--wav2vec2-base", "snapshots", "abc123");
        Directory.CreateDirectory(snapshot);
        foreach (var file in new[] { "config.json", "preprocessor_config.json", "pytorch_model.bin" })
            File.Copy(Fixtures.File("wav2vec2", file), Path.Combine(snapshot, file));
        Directory.CreateDirectory(Path.Combine(_cache.Path, "models--facebook--wav2vec2-base", "refs"));
        File.WriteAllText(Path.Combine(_cache.Path, "models--facebook--wav2vec2-base", "refs", "main"), "abc123");
        using var resolver = new HubModelResolver(Options(offline: true));

        var folder = await resolver.ResolveAsync("facebook/wav2vec2-base");

        Assert.Equal(snapshot, folder);
    }

    [Fact]
    public async Task A_folder_is_returned_as_it_is_and_nonsense_is_refused()
    {
        using var resolver = new HubModelResolver(Options(offline: true));

        Assert.Equal(Fixtures.Folder("bert"), await resolver.ResolveAsync(Fixtures.Folder("bert")));
        var error = await Assert.ThrowsAsync<CheckpointException>(() => resolver.ResolveAsync("../../etc"));
        Assert.Contains("neither a folder nor a model id", error.Message);
    }
}
