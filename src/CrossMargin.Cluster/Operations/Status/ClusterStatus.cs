using CrossMargin.Cluster.Membership;

namespace CrossMargin.Cluster.Operations.Status;

/// <summary>What <c>crossmargin cluster status</c> shows: one consistent read of the membership and lease tables.</summary>
/// <param name="Target">The server read (password masked).</param>
/// <param name="DatabaseNow">The database clock when the read was taken; every age and expiry below is relative to it.</param>
/// <param name="FailureTimeout">A member whose heartbeat is older than this (database clock) is shown as down.</param>
/// <param name="ShardCount">The journal's fixed shard count (<c>cm_cluster_meta.shard_count</c>); null before any node started.</param>
/// <param name="Members">Every member ever registered, ordered by name.</param>
/// <param name="Shards">Every shard lease, ordered by shard number.</param>
/// <param name="Singletons">Every singleton lease (coordinator, feeds), ordered by resource.</param>
public sealed record ClusterStatus(
    string Target,
    DateTimeOffset DatabaseNow,
    TimeSpan FailureTimeout,
    int? ShardCount,
    IReadOnlyList<NodeStatus> Members,
    IReadOnlyList<LeaseStatus> Shards,
    IReadOnlyList<LeaseStatus> Singletons)
{
    /// <summary>Shards with no live owner (never acquired, released, or expired by the database clock).</summary>
    public IReadOnlyList<LeaseStatus> Unowned => Shards.Where(s => !s.Live).ToList();

    /// <summary>The live shard leases held by <paramref name="member"/>'s current incarnation.</summary>
    public IReadOnlyList<LeaseStatus> ShardsOf(NodeStatus member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Shards.Where(s => s.Live && s.HeldBy(member)).ToList();
    }

    /// <summary>The live singleton leases held by <paramref name="member"/>'s current incarnation.</summary>
    public IReadOnlyList<LeaseStatus> SingletonsOf(NodeStatus member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Singletons.Where(s => s.Live && s.HeldBy(member)).ToList();
    }
}

/// <summary>One row of <c>cm_cluster_members</c> with its derived state.</summary>
/// <param name="Node">Node name.</param>
/// <param name="Incarnation">This run of the node (a restarted node gets a new one).</param>
/// <param name="Address">What the node reported as its address (host, pid), or null.</param>
/// <param name="StartedAt">When this incarnation registered (database clock).</param>
/// <param name="HeartbeatAge">Database clock minus the last heartbeat.</param>
/// <param name="Status">The status column as written by the node (<c>up</c>, <c>leaving</c>, <c>left</c>).</param>
/// <param name="State">The derived state (<see cref="MemberStatus.Down"/> when silent past the failure timeout by the database clock).</param>
public sealed record NodeStatus(string Node, Guid Incarnation, string? Address, DateTimeOffset? StartedAt, TimeSpan HeartbeatAge, string Status, MemberStatus State);

/// <summary>One row of <c>cm_cluster_leases</c>.</summary>
/// <param name="Resource"><c>shard-N</c>, <c>singleton-coordinator</c> or <c>singleton-feed-SYMBOL</c>.</param>
/// <param name="Owner">Owner node, or null when released or never acquired.</param>
/// <param name="Incarnation">Owner's incarnation, or null.</param>
/// <param name="Epoch">Fencing epoch: bumped by every acquisition; journal writes carrying an older one are refused.</param>
/// <param name="ExpiresIn">Time left before the lease expires (database clock); negative when expired; null when released.</param>
public sealed record LeaseStatus(string Resource, string? Owner, Guid? Incarnation, long Epoch, TimeSpan? ExpiresIn)
{
    /// <summary>True when an owner holds it and it has not expired by the database clock.</summary>
    public bool Live => Owner is not null && ExpiresIn is { } left && left > TimeSpan.Zero;

    /// <summary>The shard number of a <c>shard-N</c> resource; null for singletons.</summary>
    public int? Shard => Resource.StartsWith(Sharding.ClusterResources.ShardPrefix, StringComparison.Ordinal)
        && int.TryParse(Resource.AsSpan(Sharding.ClusterResources.ShardPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    /// <summary>True when this lease names <paramref name="member"/>'s node and current incarnation.</summary>
    public bool HeldBy(NodeStatus member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return string.Equals(Owner, member.Node, StringComparison.Ordinal) && Incarnation == member.Incarnation;
    }
}
