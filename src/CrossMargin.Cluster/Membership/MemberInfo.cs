namespace CrossMargin.Cluster.Membership;

/// <summary>One row of <c>cm_cluster_members</c> as seen at <see cref="ObservedAt"/> (database clock).</summary>
/// <param name="Node">Unique node name.</param>
/// <param name="Incarnation">Fresh at every join; tells a restarted node from its previous life.</param>
/// <param name="Address">Informational address, or null.</param>
/// <param name="StartedAt">When this incarnation joined (database clock).</param>
/// <param name="HeartbeatAt">Last heartbeat (database clock).</param>
/// <param name="StoredStatus">The stored status: up, leaving or left.</param>
/// <param name="Status">The effective status: <see cref="MemberStatus.Down"/> when an up/leaving member's heartbeat is older than the failure timeout.</param>
/// <param name="ObservedAt">The database clock when the row was read.</param>
public sealed record MemberInfo(string Node, Guid Incarnation, string? Address, DateTimeOffset? StartedAt, DateTimeOffset HeartbeatAt, MemberStatus StoredStatus, MemberStatus Status, DateTimeOffset ObservedAt)
{
    /// <summary>Time since the last heartbeat, by the database clock.</summary>
    public TimeSpan SinceHeartbeat => ObservedAt - HeartbeatAt;

    /// <summary>True for an up member whose heartbeat is fresh: one that takes part in shard allocation.</summary>
    public bool IsLive => Status == MemberStatus.Up;
}
