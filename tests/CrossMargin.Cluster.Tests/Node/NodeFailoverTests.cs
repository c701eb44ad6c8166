using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Tests.Node;

[Collection(NodePostgresCollection.Name)]
public sealed class NodeFailoverTests(NodePostgresFixture fixture)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_nodes_split_the_shards_and_a_graceful_stop_hands_them_over_with_the_same_state()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        var b = await cluster.StartNodeAsync("node-b");
        await NodeTestCluster.EventuallyAsync(() => a.HostedShards.Count == NodeTestCluster.Shards / 2 && b.HostedShards.Count == NodeTestCluster.Shards / 2, "each node hosts half the shards");
        await cluster.AllShardsHostedAsync(a, b);
        var accounts = cluster.AccountsIn(b.HostedShards).Take(4).ToList();
        Assert.NotEmpty(accounts);
        var before = await DepositAndReadAsync(cluster, accounts, commandId: 21);

        await b.StopAsync();
        await cluster.AllShardsHostedAsync(a);
        var after = await ReadAsync(cluster, accounts);

        Assert.Equal(Render(before), Render(after));
        foreach (var id in accounts)
        {
            var shard = ShardMap.ShardOf(id, NodeTestCluster.Shards);
            Assert.Equal(a.LeaseOf(shard)!.Epoch, (await cluster.ExecScalarEpochAsync(shard)));
        }
    }

    [Fact]
    public async Task When_a_node_crashes_the_other_takes_its_shards_after_the_lease_and_accounts_recover_from_the_journal()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        var b = await cluster.StartNodeAsync("node-b");
        await NodeTestCluster.EventuallyAsync(() => b.HostedShards.Count == NodeTestCluster.Shards / 2, "node-b hosts half the shards");
        var accounts = cluster.AccountsIn(b.HostedShards).Take(4).ToList();
        var epochs = accounts.ToDictionary(id => id, id => b.LeaseOf(ShardMap.ShardOf(id, NodeTestCluster.Shards))!.Epoch);
        var before = await DepositAndReadAsync(cluster, accounts, commandId: 31);

        await b.CrashAsync();
        await cluster.AllShardsHostedAsync(a);
        var after = await ReadAsync(cluster, accounts);
        var second = await DepositAndReadAsync(cluster, accounts, commandId: 32);

        Assert.Equal(Render(before), Render(after));
        foreach (var id in accounts)
        {
            var shard = ShardMap.ShardOf(id, NodeTestCluster.Shards);
            Assert.True(a.LeaseOf(shard)!.Epoch > epochs[id], "the takeover bumped the fencing epoch");
            var balance = second.Single(v => v.AccountId == id).Balances.Single(x => x.Asset == cluster.Asset).Amount;
            Assert.Equal(2 * (100m + id), balance);
            var rows = await cluster.JournalRowsAsync("account-" + id);
            Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Seq));
            Assert.Equal(2, rows.Count(r => r.Manifest == "Deposited@v1"));
        }
    }

    [Fact]
    public async Task A_node_whose_lease_was_taken_over_cannot_write_and_stops_the_shard()
    {
        await using var cluster = await NodeTestCluster.CreateAsync(fixture);
        var a = await cluster.StartNodeAsync("node-a");
        await cluster.AllShardsHostedAsync(a);
        var account = cluster.AccountsIn(Enumerable.Range(0, NodeTestCluster.Shards))[0];
        var shard = ShardMap.ShardOf(account, NodeTestCluster.Shards);
        await cluster.Client.RequestAsync<CommandReply>(new Deposit(account, 41, cluster.Asset, 10m), Guid.NewGuid(), ReplyTimeout);
        var rowsBefore = await cluster.JournalRowsAsync("account-" + account);
        var staleLease = a.LeaseOf(shard)!;

        // Another owner takes the lease with a newer epoch while node-a still believes it holds it (a paused process).
        await cluster.ExecAsync(
            "UPDATE cm_cluster_leases SET owner = 'intruder', incarnation = gen_random_uuid(), epoch = epoch + 1, expires_at = now() + interval '1 hour' WHERE resource = @r",
            ("r", ClusterResources.Shard(shard)));
        var late = Guid.NewGuid();
        await cluster.Client.EnqueueAsync(new Deposit(account, 42, cluster.Asset, 10m), late);

        await NodeTestCluster.EventuallyAsync(() => !a.HostedShards.Contains(shard), $"node-a stops shard {shard} after its renew is refused");
        var rowsAfter = await cluster.JournalRowsAsync("account-" + account);
        Assert.Equal(rowsBefore, rowsAfter);
        Assert.Equal(1, await cluster.CountAsync("SELECT count(*) FROM cm_cluster_inbox WHERE command_id = @c AND done_at IS NULL", ("c", late)));
        Assert.Null(a.LeaseOf(shard));

        // The journal write path itself refuses a write under the stale lease (node-a has also dropped it locally by now).
        var held = new HeldLeases();
        held.Add(staleLease);
        var options = new SqlJournalOptions(SqlBackend.Postgres, cluster.Connection) { Fence = new EpochFence(held, NodeTestCluster.Shards) };
        await using var journal = await SqlJournal.OpenAsync(options, NodeSerialization.Create());
        var results = await journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr("account-" + account, rowsBefore.Count + 1, new Deposited(99, cluster.Asset, 1m), "stale"))]);
        var fenced = Assert.IsType<WriteFencedException>(results.Single().Error);
        Assert.Equal(ClusterResources.Shard(shard), fenced.Resource);
        Assert.Equal(rowsBefore, await cluster.JournalRowsAsync("account-" + account));
    }

    private static async Task<IReadOnlyList<AccountView>> DepositAndReadAsync(NodeTestCluster cluster, IReadOnlyList<long> accounts, long commandId)
    {
        foreach (var id in accounts)
        {
            var reply = await cluster.Client.RequestAsync<CommandReply>(new Deposit(id, commandId, cluster.Asset, 100m + id), Guid.NewGuid(), ReplyTimeout);
            Assert.True(reply.Accepted, reply.Reason);
        }

        return await ReadAsync(cluster, accounts);
    }

    private static async Task<IReadOnlyList<AccountView>> ReadAsync(NodeTestCluster cluster, IReadOnlyList<long> accounts)
    {
        var views = new List<AccountView>();
        foreach (var id in accounts)
        {
            views.Add(await cluster.Client.RequestAsync<AccountView>(new GetAccountMessage(id), Guid.NewGuid(), ReplyTimeout));
        }

        return views;
    }

    private static string Render(IReadOnlyList<AccountView> views) =>
        string.Join("\n", views.Select(v => $"{v.AccountId} {v.State} {string.Join(",", v.Balances.Select(b => $"{b.Asset}={b.Amount}"))} {string.Join(",", v.Positions.Select(p => $"{p.InstrumentId}:{p.Size}:{p.Cost}"))}"));
}
