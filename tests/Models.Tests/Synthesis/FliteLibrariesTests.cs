using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

public sealed class FliteLibrariesTests
{
    [Fact]
    public void MissingLibrary_FailsWithTheLibraryAndThePackageToInstall()
    {
        var error = Assert.Throws<FliteNotAvailableException>(() =>
            FliteLibraries.EnsureAvailable(["libflite.so.1", "libflite_cmu_us_nosuchvoice.so.1"]));

        Assert.Contains("libflite_cmu_us_nosuchvoice.so.1", error.Message);
        Assert.Contains("apt-get install libflite1", error.Message);
        Assert.DoesNotContain("libflite.so.1,", error.Message); // only what is missing is named
    }

    [Fact]
    public void InstalledLibraries_PassTheCheck()
    {
        FliteLibraries.EnsureAvailable();
    }
}
