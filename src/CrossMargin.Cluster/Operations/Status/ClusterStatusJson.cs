using CrossMargin.Cluster.Membership;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CrossMargin.Cluster.Operations.Status;

/// <summary>
/// The JSON form of <see cref="ClusterStatus"/> (<c>crossmargin cluster status --json</c>), for scripts and tests.
/// Durations are in milliseconds (<c>…Ms</c>), instants ISO-8601 UTC; field names are stable.
/// </summary>
public static class ClusterStatusJson
{
    /// <summary>Renders <paramref name="status"/> as an indented JSON document.</summary>
    public static string Write(ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", status.Target);
            w.WriteString("databaseNow", status.DatabaseNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteNumber("failureTimeoutMs", (long)status.FailureTimeout.TotalMilliseconds);
            if (status.ShardCount is { } count)
            {
                w.WriteNumber("shardCount", count);
            }
            else
            {
                w.WriteNull("shardCount");
            }

            w.WriteStartArray("nodes");
            foreach (var m in status.Members)
            {
                WriteMember(w, status, m);
            }

            w.WriteEndArray();
            w.WriteStartArray("unownedShards");
            foreach (var s in status.Unowned)
            {
                w.WriteNumberValue(s.Shard!.Value);
            }

            w.WriteEndArray();
            w.WriteStartArray("singletons");
            foreach (var s in status.Singletons)
            {
                WriteLease(w, s);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteMember(Utf8JsonWriter w, ClusterStatus status, NodeStatus m)
    {
        w.WriteStartObject();
        w.WriteString("node", m.Node);
        w.WriteString("incarnation", m.Incarnation);
        w.WriteString("state", m.State.ToString().ToLowerInvariant());
        w.WriteString("status", m.Status);
        if (m.Address is null) w.WriteNull("address"); else w.WriteString("address", m.Address);
        if (m.StartedAt is { } started) w.WriteString("startedAt", started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); else w.WriteNull("startedAt");
        w.WriteNumber("heartbeatAgeMs", (long)m.HeartbeatAge.TotalMilliseconds);
        w.WriteStartArray("shards");
        foreach (var s in status.ShardsOf(m))
        {
            w.WriteStartObject();
            w.WriteNumber("shard", s.Shard!.Value);
            w.WriteNumber("epoch", s.Epoch);
            w.WriteNumber("expiresInMs", (long)s.ExpiresIn!.Value.TotalMilliseconds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("singletons");
        foreach (var s in status.SingletonsOf(m))
        {
            w.WriteStringValue(s.Resource);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLease(Utf8JsonWriter w, LeaseStatus s)
    {
        w.WriteStartObject();
        w.WriteString("resource", s.Resource);
        if (s.Owner is null) w.WriteNull("owner"); else w.WriteString("owner", s.Owner);
        w.WriteNumber("epoch", s.Epoch);
        w.WriteBoolean("live", s.Live);
        if (s.ExpiresIn is { } left) w.WriteNumber("expiresInMs", (long)left.TotalMilliseconds); else w.WriteNull("expiresInMs");
        w.WriteEndObject();
    }
}
