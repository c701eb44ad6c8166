using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using Serilog;

namespace CrossMargin.Cluster.Sharding;

/// <summary>
/// Runs cluster singletons (the liquidation coordinator, one price feed per instrument) through leases on
/// <c>singleton-&lt;name&gt;</c>, with the same machinery and rules as <see cref="ShardAllocator"/>: the names are spread
/// over the live members by the same fair-share rule, so each runs on exactly one node at a time.
/// </summary>
/// <remarks>Every node must pass the same names (order does not matter; they are sorted). Thread-safety and callback rules as <see cref="ShardAllocator"/>.</remarks>
public sealed class SingletonAllocator : IAsyncDisposable
{
    private readonly LeaseAllocator _core;
    private readonly string[] _names;

    /// <summary>Creates the allocator for <paramref name="names"/> (e.g. <c>coordinator</c>, <c>feed-BTCUSDT</c>).</summary>
    public SingletonAllocator(ClusterMembership membership, LeaseManager leases, IEnumerable<string> names, TimeSpan renewInterval, TimeSpan rebalanceInterval, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(names);
        _names = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var logger = (log ?? Serilog.Log.Logger).ForContext<SingletonAllocator>();
        _core = new LeaseAllocator(
            _names.Select(ClusterResources.Singleton).ToArray(),
            membership,
            leases,
            renewInterval,
            rebalanceInterval,
            (i, lease, ct) => OnAcquired is { } f ? f(new SingletonAcquired(_names[i], lease), ct) : Task.CompletedTask,
            (i, lease, reason, ct) => OnLost is { } f ? f(new SingletonLost(_names[i], lease, reason), ct) : Task.CompletedTask,
            logger);
    }

    /// <summary>Creates the allocator with the timings of <paramref name="settings"/>.</summary>
    public SingletonAllocator(ClusterMembership membership, LeaseManager leases, IEnumerable<string> names, ClusterSettings settings, ILogger? log = null)
        : this(membership, leases, names, (settings ?? throw new ArgumentNullException(nameof(settings))).RenewInterval, settings.RebalanceInterval, log)
    {
    }

    /// <summary>The singleton names, sorted.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Called when a singleton is acquired; start it. Awaited; one at a time per singleton.</summary>
    public Func<SingletonAcquired, CancellationToken, Task>? OnAcquired { get; set; }

    /// <summary>Called when a singleton is lost or handed off; stop it before returning. Awaited; one at a time per singleton.</summary>
    public Func<SingletonLost, CancellationToken, Task>? OnLost { get; set; }

    /// <summary>The singletons this node runs now.</summary>
    public IReadOnlyList<string> Owned => _core.HeldIndexes.Select(i => _names[i]).ToArray();

    /// <summary>The held lease of singleton <paramref name="name"/>, or null.</summary>
    public Lease? LeaseOf(string name)
    {
        var index = Array.IndexOf(_names, name);
        return index < 0 ? null : _core.LeaseAt(index);
    }

    /// <summary>Starts the loops.</summary>
    public void Start() => _core.Start();

    /// <summary>Runs one allocation pass now.</summary>
    public Task RebalanceNowAsync(CancellationToken cancellationToken = default) => _core.RebalanceOnceAsync(cancellationToken);

    /// <summary>Renews every held lease now.</summary>
    public Task RenewNowAsync(CancellationToken cancellationToken = default) => _core.RenewOnceAsync(cancellationToken);

    /// <summary>Waits until every callback queued so far has completed.</summary>
    public Task WhenCallbacksDoneAsync() => _core.DrainAsync();

    /// <summary>Graceful exit: hands every singleton off (lost callback, awaited, then release) and stops renewing.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken = default) => _core.LeaveAsync(cancellationToken);

    /// <summary>Stops all loops without callbacks or releases, as a crash would (for tests).</summary>
    public Task AbandonAsync() => _core.AbandonAsync();

    /// <summary>Same as <see cref="AbandonAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await _core.AbandonAsync().ConfigureAwait(false);
}
