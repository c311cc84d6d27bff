namespace Orchestrator.Clustering.Tests;

/// <summary>Waits for a condition the cluster reaches asynchronously (a join, a graceful leave), failing with what was awaited.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
