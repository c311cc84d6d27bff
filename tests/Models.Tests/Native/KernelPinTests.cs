using System.Runtime.InteropServices;
using Orchestrator.Models.Native;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Native;

public sealed class KernelPinTests
{
    [Fact]
    public void LibTorch_loads_with_MKL_ATen_and_oneDNN_pinned_to_one_code_path()
    {
        using var _ = zeros(1);                                                    // LibTorch is loaded by now

        foreach (var (name, value) in TorchNativeLibraries.KernelPins)
        {
            // The C environment is what MKL reads; .NET's copy is what child processes inherit.
            // A value the user set before the process started is kept in both.
            var expected = Environment.GetEnvironmentVariable(name);
            Assert.NotNull(expected);
            Assert.Equal(expected, Marshal.PtrToStringAnsi(getenv(name)));
            Assert.True(expected == value || InitialEnvironment(name) == expected, $"{name}={expected}, expected {value}");
        }
    }

    /// <summary>The value a variable had when the process started (/proc/self/environ is never rewritten).</summary>
    private static string? InitialEnvironment(string name) =>
        File.ReadAllText("/proc/self/environ").Split('\0').Where(e => e.StartsWith(name + "=", StringComparison.Ordinal)).Select(e => e[(name.Length + 1)..]).FirstOrDefault();

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern IntPtr getenv(string name);
}
