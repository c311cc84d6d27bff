using System.Diagnostics;
using Orchestrator.Models.Native;

namespace Orchestrator.Models.Tests.Native;

public sealed class ElfVersionRequirementsTests
{
    private static string LibTorchSharp => Path.Combine(TorchNativeLibraries.TorchSharpDirectory, "libLibTorchSharp.so");

    [Fact]
    public void MarkWeak_flags_only_the_named_requirement_of_the_real_libLibTorchSharp()
    {
        var bytes = File.ReadAllBytes(LibTorchSharp);
        var original = (byte[])bytes.Clone();

        var changed = ElfVersionRequirements.MarkWeak(bytes, "GLIBCXX_3.4.32");

        Assert.Equal(1, changed);
        var differing = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != original[i]).ToList();
        Assert.Single(differing); // the low byte of one vna_flags field
        Assert.Equal(0x2, bytes[differing[0]] & 0x2);
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", ReadElfVersions(bytes));
        Assert.Contains("Name: GLIBCXX_3.4.30  Flags: none", ReadElfVersions(bytes));
    }

    [Fact]
    public void MarkWeak_changes_nothing_when_no_requirement_names_the_version()
    {
        var bytes = File.ReadAllBytes(LibTorchSharp);
        var original = (byte[])bytes.Clone();

        Assert.Equal(0, ElfVersionRequirements.MarkWeak(bytes, "GLIBCXX_9.9.99"));
        Assert.Equal(original, bytes);
    }

    [Fact]
    public void MarkWeak_rejects_a_file_that_is_not_elf()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionRequirements.MarkWeak(new byte[128], "GLIBCXX_3.4.32"));
        Assert.Contains("not an ELF file", error.Message);
    }

    [Fact]
    public void Tensor_library_loads_and_computes_on_this_system()
    {
        using var ones = TorchSharp.torch.ones(3, 4);
        using var doubled = ones * 2;

        Assert.Equal(24f, doubled.sum().item<float>());
    }

    private static string ReadElfVersions(byte[] elf)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, elf);
            using var readelf = Process.Start(new ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true })!;
            var output = readelf.StandardOutput.ReadToEnd();
            readelf.WaitForExit();
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
