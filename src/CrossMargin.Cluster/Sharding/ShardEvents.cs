using CrossMargin.Cluster.Leases;

namespace CrossMargin.Cluster.Sharding;

/// <summary>This node now owns <paramref name="Shard"/> under <paramref name="Lease"/>: start (recover) its actors and consume its inbox.</summary>
/// <param name="Shard">Shard number.</param>
/// <param name="Lease">The lease (its epoch fences the shard's journal writes).</param>
public sealed record ShardAcquired(int Shard, Lease Lease);

/// <summary>
/// This node no longer owns <paramref name="Shard"/>: stop its actors and its inbox consumer before the callback returns.
/// For <see cref="LeaseLossReason.Handoff"/> and <see cref="LeaseLossReason.Leaving"/> the lease is released only after
/// the callback returns (final writes still pass the fence); for the others the fence is already closed.
/// </summary>
/// <param name="Shard">Shard number.</param>
/// <param name="Lease">The lease that ended.</param>
/// <param name="Reason">Why.</param>
public sealed record ShardLost(int Shard, Lease Lease, LeaseLossReason Reason);

/// <summary>This node now runs singleton <paramref name="Name"/> under <paramref name="Lease"/>: start it (it resumes from its journal).</summary>
/// <param name="Name">Singleton name, e.g. <c>coordinator</c> or <c>feed-BTCUSDT</c>.</param>
/// <param name="Lease">The lease of <c>singleton-&lt;name&gt;</c>.</param>
public sealed record SingletonAcquired(string Name, Lease Lease);

/// <summary>This node no longer runs singleton <paramref name="Name"/>: stop it before the callback returns (same rules as <see cref="ShardLost"/>).</summary>
/// <param name="Name">Singleton name.</param>
/// <param name="Lease">The lease that ended.</param>
/// <param name="Reason">Why.</param>
public sealed record SingletonLost(string Name, Lease Lease, LeaseLossReason Reason);
