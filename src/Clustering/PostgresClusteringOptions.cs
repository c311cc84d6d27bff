namespace Orchestrator.Clustering;

/// <summary>
/// Where the cluster's membership lives: the Orchestrator's PostgreSQL database, the same one
/// that holds sweeps and results, so that one connection string is all a deployment needs.
/// </summary>
/// <remarks>
/// Bound from the configuration section <see cref="SectionName"/> (environment:
/// <c>Orchestrator__Clustering__ConnectionString</c>); the delegate given to
/// <c>UsePostgresClustering</c> runs after the binding and may override it. The cluster is named
/// by Orleans' own <c>ClusterOptions.ClusterId</c>: several clusters can share one database.
/// </remarks>
public sealed class PostgresClusteringOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Orchestrator:Clustering";

    /// <summary>Npgsql connection string of the Orchestrator database; its migrations are applied on first use.</summary>
    public string ConnectionString { get; set; } = "";
}
