namespace Orchestrator.Clustering.Tests.Grains;

public sealed class WhereaboutsGrain : Grain, IWhereaboutsGrain
{
    public Task<string> SiloAsync() => Task.FromResult(RuntimeIdentity);
}
