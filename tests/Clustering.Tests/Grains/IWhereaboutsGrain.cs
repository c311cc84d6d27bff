namespace Orchestrator.Clustering.Tests.Grains;

/// <summary>A trivial grain for the cluster tests: says which silo its activation lives on.</summary>
public interface IWhereaboutsGrain : IGrainWithStringKey
{
    /// <summary>The hosting silo's address (<c>SiloAddress.ToString()</c>).</summary>
    Task<string> SiloAsync();
}
