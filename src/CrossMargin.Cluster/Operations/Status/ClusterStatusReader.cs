using CrossMargin.Cluster.Membership;
using System.Data.Common;
using Npgsql;

namespace CrossMargin.Cluster.Operations.Status;

/// <summary>
/// Reads the membership and lease tables for <c>crossmargin cluster status</c>. Read only: one REPEATABLE READ
/// transaction, so members, leases and <c>now()</c> are one consistent picture. Every age and "down" decision uses the
/// database clock, as the nodes do, never this machine's.
/// </summary>
public static class ClusterStatusReader
{
    /// <summary>Reads the cluster at <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">Npgsql connection string of the cluster's database.</param>
    /// <param name="failureTimeout">Members silent longer than this are shown as down (the nodes' <c>crossmargin.cluster.failure-timeout</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ClusterOperationException">The server cannot be reached, or no node has ever started there (no cluster tables).</exception>
    public static async Task<ClusterStatus> ReadAsync(string connectionString, TimeSpan failureTimeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = Describe(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            if (!await TablesExistAsync(connection, tx, cancellationToken).ConfigureAwait(false))
            {
                throw new ClusterOperationException($"{target} has no cluster tables (cm_cluster_members, cm_cluster_leases): no node has started against it yet");
            }

            var now = await ScalarAsync<DateTime>(connection, tx, "SELECT now()", cancellationToken).ConfigureAwait(false);
            var count = await ShardCountAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            var members = await MembersAsync(connection, tx, failureTimeout, cancellationToken).ConfigureAwait(false);
            var leases = await LeasesAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            var shards = leases.Where(l => l.Shard is not null).OrderBy(l => l.Shard).ToList();
            var singletons = leases.Where(l => l.Shard is null).OrderBy(l => l.Resource, StringComparer.Ordinal).ToList();
            return new ClusterStatus(target, new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)), failureTimeout, count, members, shards, singletons);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new ClusterOperationException($"cannot read the cluster at {target}: {e.Message}", e);
        }
    }

    /// <summary>The host, port and database of <paramref name="connectionString"/>, without credentials.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            return Schema.ClusterStore.TargetOf(connectionString);
        }
        catch (ArgumentException)
        {
            return "postgres (connection string not understood)";
        }
    }

    private static async Task<bool> TablesExistAsync(NpgsqlConnection c, DbTransaction tx, CancellationToken ct) =>
        await ScalarAsync<bool>(c, tx, "SELECT to_regclass('cm_cluster_members') IS NOT NULL AND to_regclass('cm_cluster_leases') IS NOT NULL", ct).ConfigureAwait(false);

    private static async Task<int?> ShardCountAsync(NpgsqlConnection c, DbTransaction tx, CancellationToken ct)
    {
        if (!await ScalarAsync<bool>(c, tx, "SELECT to_regclass('cm_cluster_meta') IS NOT NULL", ct).ConfigureAwait(false))
        {
            return null;
        }

        await using var cmd = new NpgsqlCommand("SELECT value FROM cm_cluster_meta WHERE key = 'shard_count'", c, (NpgsqlTransaction)tx);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static async Task<List<NodeStatus>> MembersAsync(NpgsqlConnection c, DbTransaction tx, TimeSpan failureTimeout, CancellationToken ct)
    {
        const string sql = "SELECT node, incarnation, address, started_at, now() - heartbeat_at, status FROM cm_cluster_members ORDER BY node";
        await using var cmd = new NpgsqlCommand(sql, c, (NpgsqlTransaction)tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<NodeStatus>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var age = reader.GetFieldValue<TimeSpan>(4);
            var status = reader.GetString(5);
            list.Add(new NodeStatus(reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)), age, status, Derive(status, age, failureTimeout)));
        }

        return list;
    }

    /// <summary>The state the cluster gives a member: <c>left</c> is final; otherwise silence beyond the timeout is down.</summary>
    public static MemberStatus Derive(string status, TimeSpan heartbeatAge, TimeSpan failureTimeout) => status switch
    {
        "left" => MemberStatus.Left,
        _ when heartbeatAge > failureTimeout => MemberStatus.Down,
        "leaving" => MemberStatus.Leaving,
        _ => MemberStatus.Up,
    };

    private static async Task<List<LeaseStatus>> LeasesAsync(NpgsqlConnection c, DbTransaction tx, CancellationToken ct)
    {
        const string sql = "SELECT resource, owner, incarnation, epoch, expires_at - now() FROM cm_cluster_leases";
        await using var cmd = new NpgsqlCommand(sql, c, (NpgsqlTransaction)tx);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<LeaseStatus>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var owner = reader.IsDBNull(1) ? null : reader.GetString(1);
            list.Add(new LeaseStatus(reader.GetString(0), owner, reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetInt64(3),
                owner is null || reader.IsDBNull(4) ? null : reader.GetFieldValue<TimeSpan>(4)));
        }

        return list;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c, (NpgsqlTransaction)tx);
        return (T)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
