using System.Net;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Runtime;

namespace Orchestrator.Clustering;

/// <summary>
/// The mapping between a <see cref="MembershipEntry"/> and a row of <c>cluster_members</c>: the
/// parameters a write binds and the entry a read returns, in one place so that both agree.
/// </summary>
/// <remarks>
/// The silo's key is its address, port and generation; the status is stored by name; the row's
/// etag is read as text (a uuid). <see cref="MembershipEntry.RoleName"/>, <c>UpdateZone</c> and
/// <c>FaultZone</c> are for Azure roles and are not stored.
/// </remarks>
internal static class MembershipRow
{
    /// <summary>The columns <see cref="Read"/> expects, from the first ordinal on, with <c>cluster_members</c> as <c>m</c>.</summary>
    public const string Columns =
        "m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.proxy_port, m.suspect_times, m.start_time, m.i_am_alive_time, m.etag::text";

    /// <summary>Binds <c>@address</c>, <c>@port</c> and <c>@generation</c>: the silo's key.</summary>
    public static void AddKey(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.AddWithValue("address", silo.Endpoint.Address.ToString());
        command.Parameters.AddWithValue("port", silo.Endpoint.Port);
        command.Parameters.AddWithValue("generation", silo.Generation);
    }

    /// <summary>Binds the key and every other column of the entry by its column name, etag excepted.</summary>
    public static void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        AddKey(command, entry.SiloAddress);
        command.Parameters.AddWithValue("silo_name", entry.SiloName ?? "");
        command.Parameters.AddWithValue("host_name", entry.HostName ?? "");
        command.Parameters.AddWithValue("status", entry.Status.ToString());
        command.Parameters.AddWithValue("proxy_port", entry.ProxyPort);
        command.Parameters.AddWithValue("suspect_times", NpgsqlDbType.Jsonb, SuspectVotesJson.Write(entry.SuspectTimes));
        command.Parameters.AddWithValue("start_time", ClusterTime.ToUtc(entry.StartTime));
        command.Parameters.AddWithValue("i_am_alive_time", ClusterTime.ToUtc(entry.IAmAliveTime));
    }

    /// <summary>The entry and its etag from <see cref="Columns"/>, starting at <paramref name="first"/>.</summary>
    public static Tuple<MembershipEntry, string> Read(NpgsqlDataReader reader, int first)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(
                new IPEndPoint(IPAddress.Parse(reader.GetString(first)), reader.GetInt32(first + 1)),
                reader.GetInt32(first + 2)),
            SiloName = reader.GetString(first + 3),
            HostName = reader.GetString(first + 4),
            Status = Enum.Parse<SiloStatus>(reader.GetString(first + 5)),
            ProxyPort = reader.GetInt32(first + 6),
            SuspectTimes = SuspectVotesJson.Read(reader.GetString(first + 7)),
            StartTime = reader.GetDateTime(first + 8),
            IAmAliveTime = reader.GetDateTime(first + 9),
        };
        return Tuple.Create(entry, reader.GetString(first + 10));
    }
}
