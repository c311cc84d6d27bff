using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Runtime;

namespace Orchestrator.Clustering;

/// <summary>
/// <see cref="Orleans.MembershipEntry.SuspectTimes"/> as the JSON array of <see cref="SuspectVote"/>
/// stored in <c>cluster_members.suspect_times</c>: readable in SQL, where the clean-up of defunct
/// silos takes the latest vote as the row's last update.
/// </summary>
internal static partial class SuspectVotesJson
{
    /// <summary>The votes as JSON; no votes (null or empty) is <c>[]</c>.</summary>
    public static string Write(List<Tuple<SiloAddress, DateTime>>? votes) =>
        JsonSerializer.Serialize(
            (votes ?? []).Select(vote => new SuspectVote(vote.Item1.ToParsableString(), ClusterTime.ToUtc(vote.Item2))).ToList(),
            Context.Default.ListSuspectVote);

    /// <summary>The votes of a stored array; null when there are none, as Orleans leaves a fresh entry.</summary>
    /// <exception cref="JsonException">The column holds something else than an array of votes.</exception>
    public static List<Tuple<SiloAddress, DateTime>>? Read(string json)
    {
        var votes = JsonSerializer.Deserialize(json, Context.Default.ListSuspectVote)
            ?? throw new JsonException($"suspect_times holds {json}, not an array of votes.");
        return votes.Count == 0
            ? null
            : votes.Select(vote => Tuple.Create(SiloAddress.FromParsableString(vote.Silo), ClusterTime.ToUtc(vote.Time))).ToList();
    }

    [JsonSerializable(typeof(List<SuspectVote>))]
    private sealed partial class Context : JsonSerializerContext;
}
