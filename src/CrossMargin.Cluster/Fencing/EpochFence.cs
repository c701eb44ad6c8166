using System.Data.Common;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Persistence.Sql.Fencing;
using Npgsql;
using NpgsqlTypes;

namespace CrossMargin.Cluster.Fencing;

/// <summary>
/// The journal's write fence on a cluster node: a stream's rows are written only while this node holds the lease of
/// the stream's resource, under the same epoch, unexpired by the database clock. Plug into
/// <c>SqlJournalOptions.Fence</c>; the journal and the snapshot store opened with those options (their saves and deletes
/// are fenced the same way) must be on the cluster's PostgreSQL database.
/// </summary>
/// <remarks>
/// <para>Inside the write transaction it runs <c>SELECT resource, epoch FROM cm_cluster_leases WHERE resource = ANY(..)
/// AND owner = me AND incarnation = mine AND expires_at &gt; clock_timestamp() FOR SHARE</c> and compares each epoch with
/// the one in <see cref="HeldLeases"/>. FOR SHARE makes a concurrent takeover (an UPDATE of the row) wait until the write
/// commits, so a write is either committed before the takeover or refused — never after.</para>
/// <para>A stream whose resource this node does not hold is refused without a query. Streams that map to no resource
/// (see <see cref="ClusterResources.ResourceOfPersistenceId"/>) are not fenced. Rows are stamped with the writer id
/// <c>node/incarnation/epoch</c>. Thread-safe.</para>
/// </remarks>
public sealed class EpochFence : IWriteFence
{
    private readonly HeldLeases _held;
    private readonly Func<string, string?> _resourceOf;

    /// <summary>Creates the fence over <paramref name="held"/> with the engine's stream → resource map for <paramref name="shardCount"/> shards.</summary>
    public EpochFence(HeldLeases held, int shardCount)
        : this(held, pid => ClusterResources.ResourceOfPersistenceId(pid, shardCount))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
    }

    /// <summary>Creates the fence with a custom stream → resource map (null result: not fenced).</summary>
    public EpochFence(HeldLeases held, Func<string, string?> resourceOf)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(resourceOf);
        _held = held;
        _resourceOf = resourceOf;
    }

    /// <summary>The resource guarding <paramref name="persistenceId"/>, or null when it is not fenced.</summary>
    public string? ResourceOf(string persistenceId) => _resourceOf(persistenceId);

    /// <inheritdoc />
    /// <remarks><c>node/incarnation/epoch</c> of the held lease; null (keep the actor's) when unfenced or not held (the write is then refused anyway).</remarks>
    public string? WriterIdFor(string persistenceId)
        => _resourceOf(persistenceId) is { } resource && _held.Get(resource) is { } lease ? lease.WriterId : null;

    /// <inheritdoc />
    public async ValueTask CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        var expected = new Dictionary<string, (Lease Lease, string PersistenceId)>(StringComparer.Ordinal);
        foreach (var pid in persistenceIds)
        {
            if (_resourceOf(pid) is not { } resource || expected.ContainsKey(resource))
            {
                continue;
            }

            var lease = _held.Get(resource) ?? throw new WriteFencedException(pid, resource, null, null, "this node does not hold the lease");
            expected[resource] = (lease, pid);
        }

        if (expected.Count == 0)
        {
            return;
        }

        var found = await ReadLiveEpochsAsync(connection, transaction, expected.Values.Select(v => v.Lease).ToArray(), cancellationToken).ConfigureAwait(false);
        foreach (var (resource, (lease, pid)) in expected)
        {
            if (!found.TryGetValue(resource, out var epoch) || epoch != lease.Epoch)
            {
                throw new WriteFencedException(pid, resource, lease.Epoch, found.TryGetValue(resource, out var e) ? e : null);
            }
        }
    }

    /// <summary>
    /// Checks inside <paramref name="transaction"/> that every lease in <paramref name="leases"/> is still live with its
    /// epoch (locking the rows FOR SHARE until commit); used to fence other writes, e.g. completing an inbox message.
    /// </summary>
    /// <exception cref="WriteFencedException">A lease is gone or has another epoch; names its resource.</exception>
    public static async Task EnsureLiveAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Lease> leases, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var found = await ReadLiveEpochsAsync(connection, transaction, leases, cancellationToken).ConfigureAwait(false);
        foreach (var lease in leases)
        {
            if (lease.IsLost || !found.TryGetValue(lease.Resource, out var epoch) || epoch != lease.Epoch)
            {
                throw new WriteFencedException(what, lease.Resource, lease.Epoch, found.TryGetValue(lease.Resource, out var e) ? e : null);
            }
        }
    }

    private static async Task<Dictionary<string, long>> ReadLiveEpochsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Lease> leases, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (leases.Count == 0)
        {
            return result;
        }

        if (connection is not NpgsqlConnection npgsql)
        {
            throw new InvalidOperationException($"the epoch fence needs the journal on the cluster's PostgreSQL database, not {connection.GetType().Name}");
        }

        // One owner per node: every lease carries the same node and incarnation.
        await using var command = new NpgsqlCommand(
            "SELECT resource, epoch FROM cm_cluster_leases WHERE resource = ANY(@r) AND owner = @o AND incarnation = @i AND expires_at > clock_timestamp() ORDER BY resource FOR SHARE",
            npgsql,
            (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = leases.Select(l => l.Resource).ToArray() });
        command.Parameters.AddWithValue("o", leases[0].Owner);
        command.Parameters.AddWithValue("i", leases[0].Incarnation);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }
}
