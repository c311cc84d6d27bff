using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;

namespace Orchestrator.Models.Tests.Features.Store;

/// <summary>
/// Runs the numpy-only reader of docs/feature-store.md against a store written here, so the
/// documented layout and the snippet cannot drift from the code. Fails, saying what to install,
/// when /usr/bin/python3 has no numpy: ./test installs python3-numpy (scripts/test-packages.txt),
/// so a missing numpy is a broken setup, not a reason to pass without checking anything.
/// </summary>
public sealed class FeatureStorePythonTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void The_documented_python_snippet_reads_what_the_store_wrote()
    {
        Assert.True(HasNumpy(), $"{Python} cannot import numpy: install python3-numpy (./test does, from scripts/test-packages.txt); this test runs the documented numpy reader.");
        using var directory = new TempDirectory();
        var storePath = Path.Combine(directory.Path, "store");
        using (var writer = FeatureStoreWriter.Open(storePath, StoreFixtures.Description(), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 4), oddUnaligned: true);
        var script = directory.File("read_store.py");
        File.WriteAllText(script, Snippet());
        using var store = FeatureStore.Open(storePath);

        foreach (var utterance in store.Utterances)
            foreach (var name in StreamKinds.All.Select(k => k.Name()).Concat(StreamKinds.Segmental.Select(k => $"{k.Name()}_frames")))
            {
                var output = Run(script, storePath, utterance.Id, name);
                var kind = StreamKinds.Parse(name.Replace("_frames", ""))[0];
                using var expected = name.EndsWith("_frames") ? store.ReadSegmentFrames(utterance.Id, kind) : store.Read(utterance.Id, kind);
                if (expected is null)
                {
                    Assert.Equal("null", output);
                    continue;
                }
                using var json = JsonDocument.Parse(output);
                Assert.Equal(expected.shape, json.RootElement.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
                using var sum = expected.to_type(TorchSharp.torch.ScalarType.Float64).sum();
                Assert.Equal(sum.item<double>(), json.RootElement.GetProperty("sum").GetDouble(), 1e-9);
            }
    }

    private static string Snippet()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs", "feature-store.md");
        var text = File.ReadAllText(docs);
        var marker = text.IndexOf("<!-- python-snippet", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"{docs} has no python-snippet marker.");
        var start = text.IndexOf("```python\n", marker, StringComparison.Ordinal) + "```python\n".Length;
        var end = text.IndexOf("```", start, StringComparison.Ordinal);
        return text[start..end];
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Orchestrator.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No Orchestrator.sln above {AppContext.BaseDirectory}.");
    }

    private static bool HasNumpy() => File.Exists(Python) && Execute("-c", "import numpy").ExitCode == 0;

    private static string Run(params string[] arguments)
    {
        var (exitCode, output, error) = Execute(arguments);
        Assert.True(exitCode == 0, $"python3 {string.Join(" ", arguments)} failed: {error}");
        return output.Trim();
    }

    private static (int ExitCode, string Output, string Error) Execute(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
