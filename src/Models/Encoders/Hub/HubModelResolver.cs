using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Encoders.Hub;

/// <summary>
/// Turns a model id such as <c>facebook/wav2vec2-base</c> into a local folder with the files the
/// encoders read, using huggingface_hub's cache layout
/// (<c>{cache}/models--{org}--{name}/refs/{revision}</c> and <c>snapshots/{commit}/{file}</c>, plain
/// files rather than blob links), so a cache filled by Python is reused and vice versa.
/// Missing files are downloaded from <c>{endpoint}/{id}/resolve/{revision}/{file}</c> into
/// <c>{file}.incomplete</c>, resumed with a Range request after an interruption, and checked
/// against the size and, where the hub gives one, the SHA-256 (LFS ETag) before being moved in place.
/// </summary>
public sealed partial class HubModelResolver(HubOptions options, HttpMessageHandler? handler = null) : IDisposable
{
    /// <summary>Files every checkpoint needs, and those used when present.</summary>
    private static readonly string[] Required = ["config.json"];
    private static readonly string[] Optional = ["preprocessor_config.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"];

    private readonly HttpClient _http = new(handler ?? new HttpClientHandler { AllowAutoRedirect = false }, disposeHandler: handler is null)
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>
    /// An existing folder is returned as it is; anything else must be a model id, which is
    /// resolved from the cache, downloading what is missing unless offline.
    /// </summary>
    public async Task<string> ResolveAsync(string folderOrId, CancellationToken cancellation = default)
    {
        if (Directory.Exists(folderOrId)) return Path.GetFullPath(folderOrId);
        if (!ModelId().IsMatch(folderOrId) || folderOrId.Split('/').Any(p => p is "." or ".."))
            throw new CheckpointException($"'{folderOrId}' is neither a folder nor a model id like 'facebook/wav2vec2-base'.");

        var repository = Path.Combine(options.CacheDirectory, "models--" + folderOrId.Replace("/", "--"));
        var cached = CachedSnapshot(repository);
        if (cached is not null && IsComplete(cached)) return cached;
        if (options.Offline)
            throw new CheckpointException($"'{folderOrId}' is not in the cache {options.CacheDirectory} (or lacks config.json and weights), and the hub is offline (HF_HUB_OFFLINE).");

        return await DownloadAsync(folderOrId, repository, cancellation);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>Resolves with <see cref="HubOptions.FromEnvironment"/>.</summary>
    public static async Task<string> ResolveFromEnvironmentAsync(string folderOrId, CancellationToken cancellation = default)
    {
        using var resolver = new HubModelResolver(HubOptions.FromEnvironment());
        return await resolver.ResolveAsync(folderOrId, cancellation);
    }

    /// <summary>Whether a snapshot folder holds config.json and a complete set of weights.</summary>
    public static bool IsComplete(string folder)
    {
        if (!Required.All(f => File.Exists(Path.Combine(folder, f)))) return false;
        foreach (var weights in CheckpointWeights.FileNames.Select(f => Path.Combine(folder, f)).Where(File.Exists))
        {
            if (!weights.EndsWith(".index.json", StringComparison.Ordinal)) return true;
            try
            {
                return JsonConfig.Load(weights).StringMap("weight_map").Values.Distinct().All(s => File.Exists(Path.Combine(folder, s)));
            }
            catch (CheckpointException)
            {
                return false;
            }
        }
        return false;
    }

    private string? CachedSnapshot(string repository)
    {
        var reference = Path.Combine(repository, "refs", options.Revision);
        var commit = File.Exists(reference) ? File.ReadAllText(reference).Trim() : options.Revision;
        var snapshot = Path.Combine(repository, "snapshots", commit);
        return Directory.Exists(snapshot) ? snapshot : null;
    }

    private async Task<string> DownloadAsync(string id, string repository, CancellationToken cancellation)
    {
        var staging = Path.Combine(repository, "snapshots", ".downloading-" + options.Revision);
        Directory.CreateDirectory(staging);
        string? commit = null;

        foreach (var file in Required.Concat(Optional))
        {
            var fileCommit = await FetchAsync(id, file, staging, required: Required.Contains(file), cancellation);
            commit ??= fileCommit;
        }

        var weights = false;
        foreach (var file in CheckpointWeights.FileNames)
        {
            if (await FetchAsync(id, file, staging, required: false, cancellation) is null && !File.Exists(Path.Combine(staging, file))) continue;
            if (file.EndsWith(".index.json", StringComparison.Ordinal))
                foreach (var shard in JsonConfig.Load(Path.Combine(staging, file)).StringMap("weight_map").Values.Distinct())
                {
                    if (shard.Contains('/') || shard.Contains('\\') || shard.StartsWith('.'))
                        throw new CheckpointException($"{id}/{file}: shard name '{shard}' must be a plain file name.");
                    await FetchAsync(id, shard, staging, required: true, cancellation);
                }
            weights = true;
            break;
        }
        if (!weights)
            throw new CheckpointException($"{options.Endpoint}/{id} has none of the weight files {string.Join(", ", CheckpointWeights.FileNames)}.");

        // The snapshot appears complete or not at all: staged files are moved in under the commit name.
        var snapshot = Path.Combine(repository, "snapshots", commit ?? options.Revision);
        Directory.CreateDirectory(snapshot);
        foreach (var staged in Directory.GetFiles(staging).Where(f => !f.EndsWith(".incomplete", StringComparison.Ordinal)))
            File.Move(staged, Path.Combine(snapshot, Path.GetFileName(staged)), overwrite: true);
        Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(Path.Combine(repository, "refs"));
        if (commit is not null && commit != options.Revision)
            await File.WriteAllTextAsync(Path.Combine(repository, "refs", options.Revision), commit, cancellation);
        return snapshot;
    }

    /// <summary>Downloads one file into <paramref name="folder"/>; returns the hub's commit id (if it sent one); null and nothing written on 404 of an optional file.</summary>
    private async Task<string?> FetchAsync(string id, string file, string folder, bool required, CancellationToken cancellation)
    {
        var target = Path.Combine(folder, file);
        if (File.Exists(target)) return null;
        var partial = target + ".incomplete";
        var url = new Uri($"{options.Endpoint.TrimEnd('/')}/{id}/resolve/{Uri.EscapeDataString(options.Revision)}/{file}");
        var resumeFrom = File.Exists(partial) ? new FileInfo(partial).Length : 0;

        using var response = await SendAsync(url, resumeFrom, cancellation);
        var first = response.First;
        if (response.Final.StatusCode == HttpStatusCode.NotFound || first.StatusCode == HttpStatusCode.NotFound)
        {
            if (required) throw new CheckpointException($"{url} was not found (404): is '{id}' a model id on {options.Endpoint}?");
            return null;
        }
        if (response.Final.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial);                                               // stale partial file: start over
            return await FetchAsync(id, file, folder, required, cancellation);
        }
        if (!response.Final.IsSuccessStatusCode)
            throw new CheckpointException($"{url}: the hub answered {(int)response.Final.StatusCode} {response.Final.ReasonPhrase}.");

        var append = response.Final.StatusCode == HttpStatusCode.PartialContent;
        await using (var output = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write))
        await using (var body = await response.Final.Content.ReadAsStreamAsync(cancellation))
            await body.CopyToAsync(output, cancellation);

        Verify(url, partial, first, response.Final);
        File.Move(partial, target, overwrite: true);
        return Header(first, "X-Repo-Commit") ?? Header(response.Final, "X-Repo-Commit");
    }

    private static void Verify(Uri url, string partial, HttpResponseMessage first, HttpResponseMessage final)
    {
        var length = new FileInfo(partial).Length;
        var expectedLength = long.TryParse(Header(first, "X-Linked-Size"), out var linked) ? linked
            : final.Content.Headers.ContentRange?.Length ?? (final.StatusCode == HttpStatusCode.OK ? final.Content.Headers.ContentLength : null);
        if (expectedLength is { } size && size != length)
        {
            File.Delete(partial);
            throw new CheckpointException($"{url}: downloaded {length} bytes, expected {size}; the partial file was removed, try again.");
        }
        // LFS files carry their SHA-256 as (linked) ETag; small git files carry a git blob hash, not checkable here.
        var etag = (Header(first, "X-Linked-Etag") ?? first.Headers.ETag?.Tag ?? final.Headers.ETag?.Tag)?.Replace("W/", "").Trim('"');
        if (etag is { Length: 64 } && etag.All(Uri.IsHexDigit))
        {
            using var stream = File.OpenRead(partial);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, etag, StringComparison.OrdinalIgnoreCase))
            {
                stream.Dispose();
                File.Delete(partial);
                throw new CheckpointException($"{url}: SHA-256 {actual} does not match the hub's {etag.ToLowerInvariant()}; the download was removed.");
            }
        }
    }

    /// <summary>GET with manual redirects, so that the hub's own headers (commit, LFS hash) are kept and the token never leaves the hub's host.</summary>
    private async Task<Exchange> SendAsync(Uri url, long resumeFrom, CancellationToken cancellation)
    {
        HttpResponseMessage? first = null;
        var current = url;
        for (var hop = 0; hop < 10; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (resumeFrom > 0) request.Headers.Range = new RangeHeaderValue(resumeFrom, null);
            if (options.Token is { } token && current.Host == url.Host)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            first ??= response;
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (response != first) response.Dispose();
                continue;
            }
            return new Exchange(first, response);
        }
        throw new CheckpointException($"{url}: more than 10 redirects.");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed record Exchange(HttpResponseMessage First, HttpResponseMessage Final) : IDisposable
    {
        public void Dispose()
        {
            Final.Dispose();
            if (First != Final) First.Dispose();
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]
    private static partial Regex ModelId();
}
