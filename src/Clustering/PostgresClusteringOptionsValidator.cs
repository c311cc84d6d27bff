using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Orchestrator.Clustering;

/// <summary>
/// Refuses to start a silo or client without a connection string, at start-up and naming the
/// setting, instead of at the first membership read with an Npgsql error.
/// </summary>
internal sealed class PostgresClusteringOptionsValidator(IOptions<PostgresClusteringOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.Value.ConnectionString))
            throw new OrleansConfigurationException(
                $"PostgreSQL clustering needs a connection string: set {PostgresClusteringOptions.SectionName}:ConnectionString or {nameof(PostgresClusteringOptions.ConnectionString)} in UsePostgresClustering.");
    }
}
