using CrossMargin.Cluster.Schema;

namespace CrossMargin.Cluster.Tests.Infrastructure;

/// <summary>Reads lease facts straight from the database.</summary>
public static class LeaseProbe
{
    public static async Task<bool> ExpiredAsync(ClusterStore store, string resource)
    {
        await using var command = store.DataSource.CreateCommand("SELECT expires_at IS NULL OR expires_at < now() FROM cm_cluster_leases WHERE resource = @r");
        command.Parameters.AddWithValue("r", resource);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Makes the lease of <paramref name="resource"/> expire now, as if its ttl had run out (the row is otherwise untouched).</summary>
    public static async Task ExpireNowAsync(ClusterStore store, string resource)
    {
        await using var command = store.DataSource.CreateCommand("UPDATE cm_cluster_leases SET expires_at = now() - interval '1 millisecond' WHERE resource = @r");
        command.Parameters.AddWithValue("r", resource);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>(owner, epoch, live) of <paramref name="resource"/> by the database clock.</summary>
    public static async Task<(string? Owner, long Epoch, bool Live)> RowAsync(ClusterStore store, string resource)
    {
        await using var command = store.DataSource.CreateCommand("SELECT owner, epoch, owner IS NOT NULL AND expires_at > now() FROM cm_cluster_leases WHERE resource = @r");
        command.Parameters.AddWithValue("r", resource);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2));
    }
}
