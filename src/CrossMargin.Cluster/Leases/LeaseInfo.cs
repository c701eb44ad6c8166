namespace CrossMargin.Cluster.Leases;

/// <summary>One row of <c>cm_cluster_leases</c> as read at <see cref="ObservedAt"/> (database clock), for status displays.</summary>
/// <param name="Resource">e.g. <c>shard-7</c>, <c>singleton-coordinator</c>.</param>
/// <param name="Owner">Owning node, or null when free.</param>
/// <param name="Incarnation">Owner's incarnation, or null.</param>
/// <param name="Epoch">Current fencing epoch (0 = never acquired).</param>
/// <param name="ExpiresAt">Expiry (database clock), or null when free.</param>
/// <param name="ObservedAt">The database clock when read.</param>
public sealed record LeaseInfo(string Resource, string? Owner, Guid? Incarnation, long Epoch, DateTimeOffset? ExpiresAt, DateTimeOffset ObservedAt)
{
    /// <summary>True when an owner holds it and it has not expired.</summary>
    public bool IsHeld => Owner is not null && ExpiresAt is { } e && e > ObservedAt;
}
