using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>Writes edited copies of a fixture checkpoint (renamed, converted, broken) into a temp folder.</summary>
internal static class CheckpointVariants
{
    /// <summary>
    /// Copies the fixture folder's non-weight files into <paramref name="directory"/> and writes
    /// <c>model.safetensors</c> holding <paramref name="edit"/> of the fixture's tensors.
    /// </summary>
    public static void Write(TempDirectory directory, string fixture, Func<List<KeyValuePair<string, Tensor>>, IEnumerable<KeyValuePair<string, Tensor>>> edit)
    {
        foreach (var file in Directory.GetFiles(Fixtures.Folder(fixture)))
        {
            var name = Path.GetFileName(file);
            if (name is "model.safetensors" or "pytorch_model.bin" or "reference.safetensors") continue;
            File.Copy(file, directory.File(name));
        }
        using var scope = NewDisposeScope();
        using var source = SafeTensorsFile.Open(Fixtures.File(fixture, "model.safetensors"));
        var tensors = source.Tensors.Select(t => new KeyValuePair<string, Tensor>(t.Key, t.Value.Read())).ToList();
        SafeTensorsWriter.Write(directory.File("model.safetensors"), edit(tensors).ToList());
    }

    public static KeyValuePair<string, Tensor> Entry(string name, Tensor tensor) => new(name, tensor);
}
