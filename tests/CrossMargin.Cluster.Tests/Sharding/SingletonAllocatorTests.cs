using System.Collections.Concurrent;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Sharding;

public sealed class SingletonAllocatorTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static readonly string[] Names = [ClusterResources.CoordinatorName, ClusterResources.FeedName("BTCUSDT"), ClusterResources.FeedName("ETHUSDT")];

    [Fact]
    public async Task Each_singleton_should_run_on_exactly_one_node_and_resume_elsewhere_with_a_higher_epoch_after_a_crash()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var a = await StartAsync(connection, "node-a");
        await using var b = await StartAsync(connection, "node-b");

        await Eventually.UntilAsync(
            () => Task.FromResult(a.Allocator.Owned.Concat(b.Allocator.Owned).Order(StringComparer.Ordinal).ToArray()),
            owned => owned.SequenceEqual(Names.Order(StringComparer.Ordinal)),
            "every singleton running exactly once");
        Assert.Empty(a.Allocator.Owned.Intersect(b.Allocator.Owned));
        var bOwned = b.Allocator.Owned.ToArray();
        var epochs = bOwned.ToDictionary(n => n, n => b.Allocator.LeaseOf(n)!.Epoch);

        await b.Allocator.AbandonAsync();
        await b.Membership.StopHeartbeatsAsync();

        await Eventually.UntilAsync(() => Task.FromResult(a.Allocator.Owned.Count), n => n == Names.Length, "a running every singleton");
        foreach (var name in bOwned)
        {
            Assert.Equal(epochs[name] + 1, a.Allocator.LeaseOf(name)!.Epoch);
            Assert.Contains($"acquired {name}@{epochs[name] + 1}", a.Events);
        }
    }

    private static async Task<Node> StartAsync(string connection, string name)
    {
        var settings = TestNode.FastSettings(connection, name);
        var store = await ClusterStore.OpenAsync(settings);
        var membership = new ClusterMembership(store, settings);
        await membership.JoinAsync();
        var allocator = new SingletonAllocator(membership, new LeaseManager(store, membership, settings), Names, settings);
        var node = new Node(store, membership, allocator);
        allocator.OnAcquired = (e, _) =>
        {
            node.Events.Enqueue($"acquired {e.Name}@{e.Lease.Epoch}");
            return Task.CompletedTask;
        };
        allocator.Start();
        return node;
    }

    private sealed record Node(ClusterStore Store, ClusterMembership Membership, SingletonAllocator Allocator) : IAsyncDisposable
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await Allocator.DisposeAsync();
            await Membership.DisposeAsync();
            await Store.DisposeAsync();
        }
    }
}
