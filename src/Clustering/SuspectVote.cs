using System.Text.Json.Serialization;

namespace Orchestrator.Clustering;

/// <summary>
/// One element of <c>cluster_members.suspect_times</c>: a silo that suspects the row's silo of
/// being dead, and when it voted. Orleans declares a silo dead once enough fresh votes gather.
/// </summary>
/// <param name="Silo">The voter, as <c>SiloAddress.ToParsableString()</c> writes it.</param>
/// <param name="Time">When it voted, UTC.</param>
internal sealed record SuspectVote(
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("time")] DateTime Time);
