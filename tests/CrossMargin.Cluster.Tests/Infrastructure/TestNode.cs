using System.Collections.Concurrent;
using CrossMargin.Cluster.Configuration;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;

namespace CrossMargin.Cluster.Tests.Infrastructure;

/// <summary>A cluster member for library tests: store, membership, lease manager and shard allocator, with recorded callbacks.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(ClusterStore store, ClusterSettings settings, ClusterMembership membership, LeaseManager leases, ShardAllocator shards)
    {
        Store = store;
        Settings = settings;
        Membership = membership;
        Leases = leases;
        Shards = shards;
        shards.OnShardAcquired = (e, _) =>
        {
            Events.Enqueue($"acquired {e.Shard}@{e.Lease.Epoch}");
            return Task.CompletedTask;
        };
        shards.OnShardLost = async (e, ct) =>
        {
            Events.Enqueue($"lost {e.Shard}@{e.Lease.Epoch}");
            if (BeforeLost is { } hook)
            {
                await hook(e);
            }

            LossReasons.Enqueue(e.Reason);
        };
    }

    /// <summary>Fast timings for tests (the relations of the production defaults kept), with room for a loaded 2-core machine.</summary>
    public static ClusterSettings FastSettings(string connection, string name, int shards = 8) => new ClusterSettings
    {
        NodeName = name,
        Connection = connection,
        ShardCount = shards,
        HeartbeatInterval = TimeSpan.FromMilliseconds(150),
        FailureTimeout = TimeSpan.FromSeconds(2),
        LeaseTtl = TimeSpan.FromSeconds(3),
        RenewInterval = TimeSpan.FromMilliseconds(400),
        StopMargin = TimeSpan.FromMilliseconds(600),
        RebalanceInterval = TimeSpan.FromMilliseconds(100),
        InboxPollInterval = TimeSpan.FromMilliseconds(200),
        ConnectAttempts = 3,
        ConnectRetryInterval = TimeSpan.FromMilliseconds(100),
    }.Validate();

    public ClusterStore Store { get; }

    public ClusterSettings Settings { get; }

    public ClusterMembership Membership { get; }

    public LeaseManager Leases { get; }

    public ShardAllocator Shards { get; }

    public string Name => Settings.NodeName;

    /// <summary>Callback log in order: "acquired 3@1", "lost 3@1", ...</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<LeaseLossReason> LossReasons { get; } = new();

    /// <summary>Runs inside each lost callback before it returns (tests inspect the database there).</summary>
    public Func<ShardLost, Task>? BeforeLost { get; set; }

    /// <summary>Opens the store, joins, and (when <paramref name="start"/>) starts the allocator.</summary>
    public static async Task<TestNode> StartAsync(ClusterSettings settings, bool start = true)
    {
        var store = await ClusterStore.OpenAsync(settings);
        var membership = new ClusterMembership(store, settings);
        var leases = new LeaseManager(store, membership, settings);
        var shards = new ShardAllocator(membership, leases, settings);
        var node = new TestNode(store, settings, membership, leases, shards);
        await membership.JoinAsync();
        if (start)
        {
            shards.Start();
        }

        return node;
    }

    /// <summary>Clean exit: leaving, hand shards off, left.</summary>
    public async Task LeaveAsync()
    {
        await Membership.SetLeavingAsync();
        await Shards.LeaveAsync();
        await Membership.LeaveAsync();
    }

    /// <summary>As a crash: every loop stops, nothing is written.</summary>
    public async Task CrashAsync()
    {
        await Shards.AbandonAsync();
        await Membership.StopHeartbeatsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Shards.DisposeAsync();
        await Membership.DisposeAsync();
        await Store.DisposeAsync();
    }
}
