using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace Orchestrator.Models.Native;

/// <summary>
/// Finds and loads TorchSharp's native libraries for every assembly that uses TorchSharp.
/// </summary>
/// <remarks>
/// Two problems are solved here, once, instead of in every executable:
/// <list type="number">
/// <item>LibTorch is 600 MB. The CPU packages are referenced with their native assets excluded,
/// so no build copies them; the build records where the NuGet cache holds them (assembly
/// metadata below) and this resolver loads them from there. An application folder that does
/// contain them (a publish, or the CUDA packages, which assemble their fragments into the
/// output) wins, and <c>ORCHESTRATOR_LIBTORCH_DIR</c> overrides both.</item>
/// <item>libLibTorchSharp.so of TorchSharp 0.107 requires the symbol version GLIBCXX_3.4.32
/// only for <c>std::ios_base_library_init</c>, a symbol GCC 13 references without ever
/// calling it. Debian 12's libstdc++ (GCC 12) lacks the version, so the loader refuses the
/// library. When, and only when, the process' libstdc++ lacks it, a copy whose requirement is
/// marked weak is written once to the user's cache and loaded instead; newer systems load the
/// original untouched.</item>
/// </list>
/// </remarks>
public static class TorchNativeLibraries
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string MissingVersionSymbol = "_ZSt21ios_base_library_initv";
    private static readonly string[] LibTorchLoadOrder = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    private static readonly Lazy<IntPtr> LibTorchSharp = new(LoadLibTorchSharp);

    /// <summary>
    /// Loads LibTorch and libLibTorchSharp.so before TorchSharp's own loader runs. TorchSharp
    /// then finds them already in the process (the dynamic loader matches its by-name loads to
    /// the sonames present) and skips its fallback, which copies 600 MB into the app folder.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "TorchSharp's static constructor loads the native backend on first use of any tensor API, from any caller; the libraries must be in the process before that.")]
    internal static void Preload()
    {
        if (!OperatingSystem.IsLinux()) return;
        PinKernelPaths();
        _ = LibTorchSharp.Value;
    }

    /// <summary>
    /// The variables that make MKL, ATen and oneDNN take the same code path on every x86-64 CPU
    /// with AVX2, instead of the fastest path each finds (AVX-512 on one machine, a vendor-generic
    /// one on another), which changes the float rounding of matrix products and so a run's logits.
    /// A variable already set by the user wins. CPUs without AVX2 get MKL's portable path.
    /// </summary>
    public static IReadOnlyDictionary<string, string> KernelPins { get; } = new Dictionary<string, string>
    {
        ["MKL_CBWR"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2" : "COMPATIBLE",
        ["ATEN_CPU_CAPABILITY"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "avx2" : "default",
        ["ONEDNN_MAX_CPU_ISA"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2" : "SSE41",
    };

    /// <summary>
    /// Sets <see cref="KernelPins"/> before LibTorch loads. Both environments are written: the C
    /// one (setenv) is what MKL and ATen read with getenv, and .NET's copy is what child processes
    /// (a worker's run processes) inherit.
    /// </summary>
    private static void PinKernelPaths()
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        foreach (var (name, value) in KernelPins)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 }) continue;
            Environment.SetEnvironmentVariable(name, value);
            if (setenv(name, value, 0) != 0) throw new InvalidOperationException($"setenv({name}) failed.");
        }
    }

    /// <summary>The folder LibTorch's shared libraries are loaded from.</summary>
    public static string LibTorchDirectory => Environment.GetEnvironmentVariable("ORCHESTRATOR_LIBTORCH_DIR") is { Length: > 0 } dir
        ? dir
        : FirstWith("libtorch_cpu.so", AppContext.BaseDirectory, Metadata("LibTorchNative"));

    /// <summary>The folder libLibTorchSharp.so (TorchSharp's C shim) is loaded from.</summary>
    public static string TorchSharpDirectory => FirstWith("libLibTorchSharp.so",
        Environment.GetEnvironmentVariable("ORCHESTRATOR_LIBTORCH_DIR"), AppContext.BaseDirectory, Metadata("TorchSharpNative"));

    /// <summary>Whether this process' libstdc++ defines <see cref="MissingVersion"/>.</summary>
    public static bool LibStdCxxHasRequiredVersion()
    {
        var libstdcxx = NativeLibrary.Load("libstdc++.so.6");
        return dlvsym(libstdcxx, MissingVersionSymbol, MissingVersion) != IntPtr.Zero;
    }

    private static IntPtr LoadLibTorchSharp()
    {
        // libLibTorchSharp.so finds LibTorch through RUNPATH $ORIGIN, which is the wrong folder
        // when the two live in different NuGet packages: load LibTorch first, by absolute path,
        // so that the dynamic loader matches its DT_NEEDED names to the libraries already in.
        var libTorch = LibTorchDirectory;
        foreach (var library in LibTorchLoadOrder)
            NativeLibrary.Load(Path.Combine(libTorch, library));

        var shim = Path.Combine(TorchSharpDirectory, "libLibTorchSharp.so");
        return NativeLibrary.Load(LibStdCxxHasRequiredVersion() ? shim : WeakenedCopy(shim));
    }

    /// <summary>A copy of <paramref name="library"/> with the GLIBCXX_3.4.32 requirement made weak, cached by content hash.</summary>
    public static string WeakenedCopy(string library)
    {
        var bytes = File.ReadAllBytes(library);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var target = Path.Combine(cacheRoot, "orchestrator", "native", hash, Path.GetFileName(library));
        if (File.Exists(target)) return target;

        if (ElfVersionRequirements.MarkWeak(bytes, MissingVersion) == 0) return library;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written beside the target and renamed, so that concurrent processes never load a half-written file.
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    private static string? Metadata(string key) => typeof(TorchNativeLibraries).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

    private static string FirstWith(string file, params string?[] folders) =>
        folders.FirstOrDefault(folder => folder is { Length: > 0 } && File.Exists(Path.Combine(folder, file)))
        ?? throw new DllNotFoundException(
            $"{file} was found in none of: {string.Join(", ", folders.Where(f => f is { Length: > 0 }))}. " +
            "Restore the solution (dotnet restore) or set ORCHESTRATOR_LIBTORCH_DIR to a folder holding LibTorch and libLibTorchSharp.so.");

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern IntPtr dlvsym(IntPtr handle, string symbol, string version);
}
