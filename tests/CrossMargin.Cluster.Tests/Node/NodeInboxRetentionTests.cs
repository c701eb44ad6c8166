using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Node;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Engine.Scenarios;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>A running node purges old completed inbox rows by itself (the retention loop is started with the node).</summary>
[Collection(NodePostgresCollection.Name)]
public sealed class NodeInboxRetentionTests(NodePostgresFixture fixture)
{
    private const string Target = "retention-probe";

    [Fact]
    public async Task A_running_node_should_purge_old_completed_messages_and_keep_pending_ones()
    {
        var connection = await fixture.NewDatabaseAsync();
        // A 4 s retention gives the node a purge pass every second; rows are aged past it instead of waited for.
        var settings = TestNode.FastSettings(connection, "node-r", NodeTestCluster.Shards) with { InboxRetention = TimeSpan.FromSeconds(4) };
        var scenario = ScenarioLoader.Load(new ScenarioOverrides { Scenario = "crash", Accounts = 8, Seed = 7 });
        await using var node = await EngineNode.StartAsync(new NodeOptions(settings, scenario));
        await using var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = NodeTestCluster.Shards });
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(200));
        var done = Guid.NewGuid();
        var pending = Guid.NewGuid();
        await inbox.EnqueueAsync(Target, done, "probe", [1]);
        await inbox.EnqueueAsync(Target, pending, "probe", [2]);
        var message = (await inbox.ReadPendingAsync(Target, 10)).Single(m => m.CommandId == done);
        Assert.True(await inbox.CompleteAsync(message, [3]));
        await using (var age = store.DataSource.CreateCommand("UPDATE cm_cluster_inbox SET enqueued_at = enqueued_at - interval '1 hour', done_at = done_at - interval '1 hour' WHERE target = @t"))
        {
            age.Parameters.AddWithValue("t", Target);
            await age.ExecuteNonQueryAsync();
        }

        await NodeTestCluster.EventuallyAsync(async () => await inbox.TryGetReplyAsync(done) is null, "the node purged the old reply");

        Assert.Equal([pending], (await inbox.ReadPendingAsync(Target, 10)).Select(m => m.CommandId));
        await using var rows = store.DataSource.CreateCommand("SELECT count(*) FROM cm_cluster_inbox WHERE target = @t");
        rows.Parameters.AddWithValue("t", Target);
        Assert.Equal(1L, (long)(await rows.ExecuteScalarAsync())!);
    }
}
