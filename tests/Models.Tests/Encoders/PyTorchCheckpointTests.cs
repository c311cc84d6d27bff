using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class PyTorchCheckpointTests
{
    [Theory]
    [InlineData("wav2vec2")]
    [InlineData("bert")]
    [InlineData("bert-prefixed")]
    [InlineData("bert-prefixed-modern")]
    public void The_bin_holds_the_same_tensors_as_the_safetensors(string folder)
    {
        using var bin = PyTorchCheckpointFile.Open(Fixtures.File(folder, "pytorch_model.bin"));
        using var safe = SafeTensorsFile.Open(Fixtures.File(folder, "model.safetensors"));

        Assert.Equal(safe.Tensors.Keys.Order(), bin.Tensors.Keys.Order());
        foreach (var (name, stored) in safe.Tensors)
        {
            using var expected = stored.Read();
            using var actual = bin.Tensors[name].Read();
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.equal(actual).all().item<bool>(), name);
        }
    }

    [Fact]
    public void A_truncated_bin_is_named_as_damaged_not_as_the_legacy_format()
    {
        // A download cut short keeps the zip's first entries but loses its central directory.
        using var directory = new TempDirectory();
        var path = directory.File("pytorch_model.bin");
        var bytes = File.ReadAllBytes(Fixtures.File("bert", "pytorch_model.bin"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.StartsWith($"{path} is a damaged or truncated zip archive", error.Message);
        Assert.DoesNotContain("legacy", error.Message);
    }
}
