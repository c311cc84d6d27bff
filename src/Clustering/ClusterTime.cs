namespace Orchestrator.Clustering;

/// <summary>
/// Orleans' membership times as <c>timestamptz</c> takes them: Npgsql writes only UTC
/// <see cref="DateTime"/>s to it, and Orleans' entries carry UTC times that may be marked
/// <see cref="DateTimeKind.Unspecified"/> (after serialisation).
/// </summary>
internal static class ClusterTime
{
    /// <summary>The same instant marked UTC: local times converted, unspecified ones taken as UTC.</summary>
    public static DateTime ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };
}
