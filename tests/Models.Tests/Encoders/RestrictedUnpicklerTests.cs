using System.IO.Compression;
using System.Text;
using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Tests.Encoders;

/// <summary>A checkpoint is untrusted input: the unpickler must refuse every global a state dict does not need, by name.</summary>
public sealed class RestrictedUnpicklerTests
{
    [Fact]
    public void The_os_system_global_is_refused_by_name_before_anything_runs()
    {
        // torch.save-style zip whose data.pkl is: os.system('touch pwned')  (protocol 2, GLOBAL + REDUCE)
        using var directory = new TempDirectory();
        var marker = directory.File("pwned");
        var pickle = Concat([0x80, 0x02], Ascii("cos\nsystem\n"), [(byte)'X'], Le32(6 + marker.Length), Ascii("touch " + marker), [0x85, (byte)'R', (byte)'.']);
        var path = WriteCheckpointZip(directory, pickle);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.StartsWith($"{path}: refused the pickle global 'os.system'", error.Message);
        Assert.Contains("Nothing in it was run. Convert it to model.safetensors", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void A_stack_global_is_checked_like_a_global()
    {
        // protocol 4: builtins.eval named through STACK_GLOBAL
        using var directory = new TempDirectory();
        var pickle = Concat([0x80, 0x04, 0x8c, 8], Ascii("builtins"), [0x8c, 4], Ascii("eval"), [0x93, (byte)'.']);
        var path = WriteCheckpointZip(directory, pickle);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.Contains("'builtins.eval'", error.Message);
    }

    [Fact]
    public void The_inst_opcode_is_refused_with_the_class_it_names()
    {
        using var directory = new TempDirectory();
        var pickle = Concat([(byte)'('], Ascii("isubprocess\nPopen\n"), [(byte)'.']);
        var path = WriteCheckpointZip(directory, pickle);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.Contains("'subprocess.Popen'", error.Message);
    }

    [Fact]
    public void A_pickle_that_is_not_a_state_dict_is_refused()
    {
        using var directory = new TempDirectory();
        var pickle = Concat([0x80, 0x02, (byte)'K', 7, (byte)'.']);   // the integer 7
        var path = WriteCheckpointZip(directory, pickle);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.Contains("not a state dict", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused_as_legacy_format()
    {
        using var directory = new TempDirectory();
        var path = directory.File("pytorch_model.bin");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.']);

        var error = Assert.Throws<CheckpointException>(() => PyTorchCheckpointFile.Open(path));

        Assert.Contains("not a zip archive", error.Message);
        Assert.Contains("Convert it to model.safetensors", error.Message);
    }

    [Fact]
    public void The_allowed_globals_are_only_those_of_a_state_dict()
    {
        Assert.Contains("collections.OrderedDict", PyTorchCheckpointFile.AllowedGlobals);
        Assert.Contains("torch._utils._rebuild_tensor_v2", PyTorchCheckpointFile.AllowedGlobals);
        Assert.Contains("torch._utils._rebuild_parameter", PyTorchCheckpointFile.AllowedGlobals);
        Assert.Contains("torch.FloatStorage", PyTorchCheckpointFile.AllowedGlobals);
        Assert.All(PyTorchCheckpointFile.AllowedGlobals, g => Assert.True(g.StartsWith("torch.") || g == "collections.OrderedDict", g));
    }

    private static string WriteCheckpointZip(TempDirectory directory, byte[] pickle)
    {
        var path = directory.File("pytorch_model.bin");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var entry = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) entry.Write(pickle);
        using (var version = zip.CreateEntry("archive/version").Open()) version.Write(Ascii("3\n"));
        return path;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Le32(int value) => BitConverter.GetBytes(value);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
