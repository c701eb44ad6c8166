using System.Diagnostics;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Schema;
using Npgsql;
using NpgsqlTypes;

namespace CrossMargin.Cluster.Leases;

/// <summary>
/// Acquire, renew and release lease rows in <c>cm_cluster_leases</c>. Every decision uses the database clock; each
/// <see cref="Lease"/> also gets a local must-stop-by deadline on the monotonic clock, measured from the start of the
/// statement that acquired or renewed it, minus the stop margin.
/// </summary>
/// <remarks>
/// Thread-safe. Acquire takes a free or expired row and bumps its epoch; renew extends only a row still owned by this
/// node, incarnation and epoch that has not expired (a lapsed lease stays lapsed); release frees the row and keeps the
/// epoch. Acquired leases are added to <see cref="Held"/>; lost or released ones are removed from it.
/// </remarks>
public sealed class LeaseManager
{
    private readonly ClusterStore _store;
    private readonly ClusterMembership? _membership;
    private readonly Guid _incarnation;

    /// <summary>Creates a manager for node <paramref name="node"/> of incarnation <paramref name="incarnation"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stopMargin"/> is not below <paramref name="leaseTtl"/>.</exception>
    public LeaseManager(ClusterStore store, string node, Guid incarnation, TimeSpan leaseTtl, TimeSpan stopMargin, HeldLeases? held = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        if (stopMargin >= leaseTtl || stopMargin < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(stopMargin), stopMargin, $"the stop margin must be between 0 and the lease ttl ({leaseTtl})");
        }

        _store = store;
        Node = node;
        _incarnation = incarnation;
        LeaseTtl = leaseTtl;
        StopMargin = stopMargin;
        Held = held ?? new HeldLeases();
    }

    /// <summary>
    /// Creates a manager for the member <paramref name="membership"/> (its incarnation is read at each call, so create
    /// this before or after <see cref="ClusterMembership.JoinAsync"/>, but use it only after) with the timings of
    /// <paramref name="settings"/>.
    /// </summary>
    public LeaseManager(ClusterStore store, ClusterMembership membership, ClusterSettings settings, HeldLeases? held = null)
        : this(store, (membership ?? throw new ArgumentNullException(nameof(membership))).Node, Guid.Empty, (settings ?? throw new ArgumentNullException(nameof(settings))).LeaseTtl, settings.StopMargin, held)
    {
        _membership = membership;
    }

    /// <summary>This node's name.</summary>
    public string Node { get; }

    /// <summary>This node's incarnation (the membership's, when created from one).</summary>
    public Guid Incarnation => _membership?.Incarnation ?? _incarnation;

    /// <summary>A lease lives this long after its last renew (database clock).</summary>
    public TimeSpan LeaseTtl { get; }

    /// <summary>Subtracted from the lease ttl for the local must-stop-by deadline.</summary>
    public TimeSpan StopMargin { get; }

    /// <summary>The leases this node holds now (what the epoch fence checks against).</summary>
    public HeldLeases Held { get; }

    /// <summary>
    /// Takes <paramref name="resource"/> when it is free or expired (creating its row if absent), bumping its epoch.
    /// Returns the lease, or null when another owner holds it unexpired (or this node already does).
    /// </summary>
    public async Task<Lease?> TryAcquireAsync(string resource, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        var incarnation = RequireIncarnation();
        var start = Stopwatch.GetTimestamp();
        await using var command = _store.DataSource.CreateCommand(
            """
            INSERT INTO cm_cluster_leases AS l (resource, owner, incarnation, epoch, expires_at)
            VALUES (@r, @o, @i, 1, now() + @ttl)
            ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, incarnation = excluded.incarnation,
              epoch = l.epoch + 1, expires_at = excluded.expires_at
            WHERE l.owner IS NULL OR l.expires_at IS NULL OR l.expires_at < now()
            RETURNING l.epoch
            """);
        command.Parameters.AddWithValue("r", resource);
        command.Parameters.AddWithValue("o", Node);
        command.Parameters.AddWithValue("i", incarnation);
        command.Parameters.AddWithValue("ttl", LeaseTtl);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (value is not long epoch)
        {
            return null;
        }

        var lease = new Lease(resource, Node, incarnation, epoch, Deadline(start));
        Held.Add(lease);
        return lease;
    }

    /// <summary>
    /// Extends <paramref name="lease"/> by the ttl from now (database clock) and moves its local deadline to
    /// <c>start of this call + ttl - stop margin</c>. Returns false when the database refused (expired, released or
    /// taken over): the lease is then lost for good (marked so and removed from <see cref="Held"/>).
    /// </summary>
    /// <exception cref="NpgsqlException">The database could not be reached; the lease is unchanged (its deadline still runs).</exception>
    public async Task<bool> RenewAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var lost = await RenewAllAsync([lease], cancellationToken).ConfigureAwait(false);
        return lost.Count == 0;
    }

    /// <summary>
    /// Renews every lease in one statement; returns the ones the database refused (each marked lost and removed from
    /// <see cref="Held"/>). Leases already lost locally are skipped (and not returned).
    /// </summary>
    /// <exception cref="NpgsqlException">The database could not be reached; nothing changed (the deadlines still run).</exception>
    public async Task<IReadOnlyList<Lease>> RenewAllAsync(IReadOnlyList<Lease> leases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var live = leases.Where(l => !l.IsLost).ToArray();
        if (live.Length == 0)
        {
            return [];
        }

        // Rows are locked in resource order, the order the epoch fence takes its FOR SHARE locks in, so a renew and a
        // journal write of the same node cannot deadlock.
        var start = Stopwatch.GetTimestamp();
        await using var command = _store.DataSource.CreateCommand(
            """
            WITH mine AS (
              SELECT l.resource FROM cm_cluster_leases AS l
              JOIN unnest(@r::text[], @e::bigint[]) AS x(resource, epoch) ON l.resource = x.resource AND l.epoch = x.epoch
              WHERE l.owner = @o AND l.incarnation = @i AND l.expires_at > now()
              ORDER BY l.resource
              FOR UPDATE OF l)
            UPDATE cm_cluster_leases AS l SET expires_at = now() + @ttl FROM mine WHERE l.resource = mine.resource
            RETURNING l.resource, l.epoch
            """);
        command.Parameters.AddWithValue("ttl", LeaseTtl);
        command.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = live.Select(l => l.Resource).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = live.Select(l => l.Epoch).ToArray() });
        command.Parameters.AddWithValue("o", Node);
        command.Parameters.AddWithValue("i", Incarnation);
        var renewed = new HashSet<(string, long)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                renewed.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        var deadline = Deadline(start);
        var refused = new List<Lease>();
        foreach (var lease in live)
        {
            if (renewed.Contains((lease.Resource, lease.Epoch)))
            {
                lease.Extend(deadline);
            }
            else if (MarkLost(lease))
            {
                refused.Add(lease);
            }
        }

        return refused;
    }

    /// <summary>
    /// Marks <paramref name="lease"/> lost locally and removes it from <see cref="Held"/> (so the fence refuses its
    /// writes at once). True for the first caller. Does not touch the database.
    /// </summary>
    public bool MarkLost(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var first = lease.MarkLost();
        Held.Remove(lease);
        return first;
    }

    /// <summary>
    /// Marks <paramref name="lease"/> lost, removes it from <see cref="Held"/>, then frees its row when it still belongs
    /// to this node, incarnation and epoch (the epoch stays; the next owner bumps it). Safe to call for a lease already lost.
    /// </summary>
    public async Task ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        MarkLost(lease);
        await using var command = _store.DataSource.CreateCommand(
            "UPDATE cm_cluster_leases SET owner = NULL, incarnation = NULL, expires_at = NULL WHERE resource = @r AND owner = @o AND incarnation = @i AND epoch = @e");
        command.Parameters.AddWithValue("r", lease.Resource);
        command.Parameters.AddWithValue("o", lease.Owner);
        command.Parameters.AddWithValue("i", lease.Incarnation);
        command.Parameters.AddWithValue("e", lease.Epoch);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every lease row, sorted by resource (shards in numeric order), with the database clock.</summary>
    public static async Task<IReadOnlyList<LeaseInfo>> ListAsync(ClusterStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var command = store.DataSource.CreateCommand("SELECT resource, owner, incarnation, epoch, expires_at, clock_timestamp() FROM cm_cluster_leases");
        var result = new List<LeaseInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new LeaseInfo(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : Utc(reader.GetDateTime(4)),
                Utc(reader.GetDateTime(5))));
        }

        result.Sort((a, b) => Sharding.ClusterResources.Compare(a.Resource, b.Resource));
        return result;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    private long Deadline(long start) => start + (long)((LeaseTtl - StopMargin).TotalSeconds * Stopwatch.Frequency);

    private Guid RequireIncarnation()
    {
        var incarnation = Incarnation;
        return incarnation == Guid.Empty
            ? throw new InvalidOperationException($"node {Node} has not joined the cluster yet (no incarnation): call ClusterMembership.JoinAsync first")
            : incarnation;
    }
}
