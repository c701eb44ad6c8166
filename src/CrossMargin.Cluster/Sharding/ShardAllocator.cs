using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using Serilog;

namespace CrossMargin.Cluster.Sharding;

/// <summary>
/// Owns this node's fair share of the shards through lease rows, and tells the node through
/// <see cref="OnShardAcquired"/> / <see cref="OnShardLost"/> when to start and stop a shard's actors.
/// </summary>
/// <remarks>
/// <para>Every rebalance-interval it reads the live members (sorted by name), computes its share
/// (<see cref="ShardMap.FairShare"/>), acquires free or expired leases of it, and hands off shards outside it (lost
/// callback, awaited, then release). Every renew-interval it renews all held leases in one statement; a lease the
/// database refuses, or whose local must-stop-by deadline passes without a renew, is lost: the fence closes at once and
/// the lost callback runs.</para>
/// <para>Callbacks for one shard run one at a time and in order (acquired, lost, acquired, ...); different shards'
/// callbacks may run concurrently. Callbacks run on thread-pool threads; an exception is logged, not rethrown. Set the
/// callbacks before <see cref="Start"/>.</para>
/// </remarks>
public sealed class ShardAllocator : IAsyncDisposable
{
    private readonly LeaseAllocator _core;

    /// <summary>Creates the allocator of <paramref name="membership"/>'s node over <paramref name="shardCount"/> shards.</summary>
    public ShardAllocator(ClusterMembership membership, LeaseManager leases, int shardCount, TimeSpan renewInterval, TimeSpan rebalanceInterval, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ShardCount = shardCount;
        var logger = (log ?? Serilog.Log.Logger).ForContext<ShardAllocator>();
        _core = new LeaseAllocator(
            Enumerable.Range(0, shardCount).Select(ClusterResources.Shard).ToArray(),
            membership,
            leases,
            renewInterval,
            rebalanceInterval,
            (i, lease, ct) => OnShardAcquired is { } f ? f(new ShardAcquired(i, lease), ct) : Task.CompletedTask,
            (i, lease, reason, ct) => OnShardLost is { } f ? f(new ShardLost(i, lease, reason), ct) : Task.CompletedTask,
            logger);
    }

    /// <summary>Creates the allocator with the shard count and timings of <paramref name="settings"/>.</summary>
    public ShardAllocator(ClusterMembership membership, LeaseManager leases, ClusterSettings settings, ILogger? log = null)
        : this(membership, leases, (settings ?? throw new ArgumentNullException(nameof(settings))).ShardCount, settings.RenewInterval, settings.RebalanceInterval, log)
    {
    }

    /// <summary>Shards in the cluster.</summary>
    public int ShardCount { get; }

    /// <summary>Called when a shard is acquired; start its actors. Awaited; one at a time per shard.</summary>
    public Func<ShardAcquired, CancellationToken, Task>? OnShardAcquired { get; set; }

    /// <summary>Called when a shard is lost or handed off; stop its actors before returning. Awaited; one at a time per shard.</summary>
    public Func<ShardLost, CancellationToken, Task>? OnShardLost { get; set; }

    /// <summary>The shards held now (acquired, not lost), ascending.</summary>
    public IReadOnlyList<int> OwnedShards => _core.HeldIndexes;

    /// <summary>The held lease of <paramref name="shard"/>, or null.</summary>
    public Lease? LeaseOf(int shard) => _core.LeaseAt(shard);

    /// <summary>Starts the rebalance, renew and deadline loops (the first rebalance runs at once).</summary>
    public void Start() => _core.Start();

    /// <summary>Runs one allocation pass now (also what the rebalance loop runs).</summary>
    public Task RebalanceNowAsync(CancellationToken cancellationToken = default) => _core.RebalanceOnceAsync(cancellationToken);

    /// <summary>Renews every held lease now (also what the renew loop runs).</summary>
    public Task RenewNowAsync(CancellationToken cancellationToken = default) => _core.RenewOnceAsync(cancellationToken);

    /// <summary>Waits until every callback queued so far has completed.</summary>
    public Task WhenCallbacksDoneAsync() => _core.DrainAsync();

    /// <summary>
    /// Graceful exit: stops acquiring, hands every held shard off (lost callback with <see cref="LeaseLossReason.Leaving"/>,
    /// awaited, then release) and stops renewing. Call <see cref="ClusterMembership.SetLeavingAsync"/> before and
    /// <see cref="ClusterMembership.LeaveAsync"/> after.
    /// </summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) => _core.LeaveAsync(cancellationToken);

    /// <summary>Stops all loops without callbacks or releases, as a crash would: the leases run out (for tests).</summary>
    public Task AbandonAsync() => _core.AbandonAsync();

    /// <summary>Same as <see cref="AbandonAsync"/>; call <see cref="LeaveAsync"/> first for a clean exit.</summary>
    public async ValueTask DisposeAsync() => await _core.AbandonAsync().ConfigureAwait(false);
}
