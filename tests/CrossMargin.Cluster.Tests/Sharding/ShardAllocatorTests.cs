using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Membership;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Sharding;

public sealed class ShardAllocatorTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const int Shards = 8;

    [Fact]
    public async Task Two_allocators_should_converge_to_a_disjoint_cover_and_the_survivor_should_take_over_when_one_leaves()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-a", Shards));
        await using var b = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-b", Shards));

        await Eventually.UntilAsync(
            () => Task.FromResult((A: a.Shards.OwnedShards, B: b.Shards.OwnedShards)),
            s => s.A.SequenceEqual([0, 2, 4, 6]) && s.B.SequenceEqual([1, 3, 5, 7]),
            "split evenly between a and b");

        // While a hands off, every lost callback must still find the lease a's own: it stops before the lease passes on.
        var stillOwnedAtStop = new List<bool>();
        a.BeforeLost = async e =>
        {
            var row = await LeaseProbe.RowAsync(a.Store, e.Lease.Resource);
            lock (stillOwnedAtStop)
            {
                stillOwnedAtStop.Add(row.Owner == "node-a" && row.Epoch == e.Lease.Epoch && row.Live);
            }
        };
        a.LossReasons.Clear();
        await a.LeaveAsync();

        await Eventually.UntilAsync(() => Task.FromResult(b.Shards.OwnedShards), s => s.Count == Shards, "all shards owned by b");
        Assert.Empty(a.Shards.OwnedShards);
        Assert.Equal(4, stillOwnedAtStop.Count);
        Assert.All(stillOwnedAtStop, Assert.True);
        Assert.All(a.LossReasons, r => Assert.Equal(LeaseLossReason.Leaving, r));
        var rows = await LeaseManager.ListAsync(b.Store);
        Assert.All(rows.Where(r => r.Resource.StartsWith("shard-", StringComparison.Ordinal)), r => Assert.Equal("node-b", r.Owner));
        Assert.Contains(await ClusterMembership.ListAsync(b.Store, b.Settings.FailureTimeout), m => m.Node == "node-a" && m.Status == MemberStatus.Left);
    }

    [Fact]
    public async Task Callbacks_for_a_shard_should_alternate_acquired_and_lost_in_epoch_order()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-a", Shards));
        await Eventually.UntilAsync(() => Task.FromResult(a.Shards.OwnedShards.Count), n => n == Shards, "a owns every shard");

        // b joins: a hands half off; b leaves again: a takes them back under new epochs.
        await using (var b = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-b", Shards)))
        {
            await Eventually.UntilAsync(() => Task.FromResult(b.Shards.OwnedShards.Count), n => n == Shards / 2, "b owns its half");
            await b.LeaveAsync();
        }

        await Eventually.UntilAsync(() => Task.FromResult(a.Shards.OwnedShards.Count), n => n == Shards, "a owns every shard again");
        await a.Shards.WhenCallbacksDoneAsync();

        var shard1 = a.Events.Where(e => e.Split(' ')[1].StartsWith("1@", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["acquired 1@1", "lost 1@1", "acquired 1@3"], shard1);
        Assert.All(a.LossReasons, r => Assert.Equal(LeaseLossReason.Handoff, r));
    }

    [Fact]
    public async Task A_crashed_member_should_be_seen_down_and_its_shards_taken_over_with_higher_epochs()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-a", Shards));
        await using var b = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-b", Shards));
        await Eventually.UntilAsync(() => Task.FromResult(b.Shards.OwnedShards.Count), n => n == Shards / 2, "b owns its half");
        var epochsBefore = (await LeaseManager.ListAsync(a.Store)).ToDictionary(l => l.Resource, l => l.Epoch);

        await b.CrashAsync();

        var members = await Eventually.UntilAsync(
            () => a.Membership.ListMembersAsync(),
            ms => ms.Any(m => m.Node == "node-b" && m.Status == MemberStatus.Down),
            "node-b seen down");
        Assert.Equal(MemberStatus.Up, members.Single(m => m.Node == "node-b").StoredStatus);
        Assert.True(members.Single(m => m.Node == "node-b").SinceHeartbeat > a.Settings.FailureTimeout);
        await Eventually.UntilAsync(() => Task.FromResult(a.Shards.OwnedShards.Count), n => n == Shards, "a owns every shard");
        var after = await LeaseManager.ListAsync(a.Store);
        foreach (var odd in new[] { 1, 3, 5, 7 })
        {
            var row = after.Single(l => l.Resource == ClusterResources.Shard(odd));
            Assert.Equal("node-a", row.Owner);
            Assert.Equal(epochsBefore[row.Resource] + 1, row.Epoch);
        }
    }

    [Fact]
    public async Task A_node_that_cannot_renew_should_stop_the_shard_before_its_lease_can_pass_on()
    {
        var connection = await postgres.NewDatabaseAsync();
        var settings = TestNode.FastSettings(connection, "node-a", 1) with { LeaseTtl = TimeSpan.FromSeconds(5), StopMargin = TimeSpan.FromMilliseconds(2500) };
        await using var store = await ClusterStore.OpenAsync(settings);
        await using var membership = new ClusterMembership(store, settings);
        await membership.JoinAsync();
        var leases = new LeaseManager(store, membership, settings);

        // Renewing once an hour: the deadline (last renew start + ttl - margin) passes long before the next renew.
        await using var allocator = new ShardAllocator(membership, leases, 1, TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(100));
        var stopped = new TaskCompletionSource<(ShardLost Event, bool FenceClosed, bool LeaseStillLive)>(TaskCreationOptions.RunContinuationsAsynchronously);
        allocator.OnShardLost = async (e, _) =>
        {
            var row = await LeaseProbe.RowAsync(store, e.Lease.Resource);
            stopped.TrySetResult((e, leases.Held.Get(e.Lease.Resource) is null, row.Live && row.Owner == "node-a"));
        };
        allocator.Start();

        var (lost, fenceClosed, leaseStillLive) = await stopped.Task.WaitAsync(Eventually.DefaultPatience);

        Assert.Equal(LeaseLossReason.DeadlinePassed, lost.Reason);
        Assert.True(fenceClosed, "the fence must refuse the shard's writes from the moment the deadline passed");
        Assert.True(leaseStillLive, "the actors must be stopped while the lease row is still unexpired (the stop margin)");
    }

    [Fact]
    public async Task A_renew_refused_by_the_database_should_raise_shard_lost_with_the_fence_already_closed()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(TestNode.FastSettings(connection, "node-a", 1));
        await Eventually.UntilAsync(() => Task.FromResult(a.Shards.OwnedShards.Count), n => n == 1, "a owns shard 0");
        var closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.BeforeLost = e =>
        {
            closed.TrySetResult(a.Leases.Held.Get(e.Lease.Resource) is null);
            return Task.CompletedTask;
        };

        // An operator (or a bug) hands the row to someone else: the next renew is refused.
        await using (var command = a.Store.DataSource.CreateCommand("UPDATE cm_cluster_leases SET owner = 'intruder', epoch = epoch + 1 WHERE resource = 'shard-0'"))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.True(await closed.Task.WaitAsync(Eventually.DefaultPatience));
        await a.Shards.WhenCallbacksDoneAsync();
        Assert.Contains(LeaseLossReason.RenewRefused, a.LossReasons);
    }
}
