using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Postgres;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Postgres;

public sealed class LocalClusterDatabaseTests
{
    [Fact]
    public async Task A_local_cluster_database_should_keep_its_data_across_a_restart_and_a_second_start_in_the_same_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cm-cluster-db-{Guid.NewGuid():N}");
        try
        {
            await using (var db = await LocalClusterDatabase.StartAsync(folder))
            {
                await using (var store = await ClusterStore.OpenAsync(new ClusterStoreOptions(db.ConnectionString) { ShardCount = 4 }))
                {
                }

                await db.Server.RestartAsync();
                await using var again = await ClusterStore.OpenAsync(new ClusterStoreOptions(db.ConnectionString));
                Assert.Equal(4, again.ShardCount);
            }

            await using var second = await LocalClusterDatabase.StartAsync(folder);
            await using var reopened = await ClusterStore.OpenAsync(new ClusterStoreOptions(second.ConnectionString));
            Assert.Equal(4, reopened.ShardCount);
            Assert.Equal("crossmargin", new NpgsqlConnectionStringBuilder(second.ConnectionString).Database);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_node_and_an_inbox_consumer_should_carry_on_after_PostgreSQL_restarts()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cm-cluster-restart-{Guid.NewGuid():N}");
        try
        {
            await using var db = await LocalClusterDatabase.StartAsync(folder);
            await using var node = await TestNode.StartAsync(TestNode.FastSettings(db.ConnectionString, "node-a", 4));
            await Eventually.UntilAsync(() => Task.FromResult(node.Shards.OwnedShards.Count), n => n == 4, "node-a owns every shard");

            // Polling effectively off: after the restart only the re-established LISTEN can wake the consumer.
            await using var inbox = new ClusterInbox(node.Store, TimeSpan.FromHours(1));
            using var stop = new CancellationTokenSource();
            var received = new TaskCompletionSource<InboxMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = Task.Run(async () =>
            {
                await foreach (var message in inbox.ConsumeAsync("shard-0", stop.Token))
                {
                    received.TrySetResult(message);
                }
            });

            await db.Server.RestartAsync();

            await Eventually.UntilAsync(
                async () => (await LeaseManager.ListAsync(node.Store)).Count(l => l.Owner == "node-a" && l.IsHeld),
                n => n == 4,
                "node-a holding live leases on every shard again");
            await Eventually.UntilAsync(
                async () => (await node.Membership.ListMembersAsync()).Single().Status,
                s => s == Cluster.Membership.MemberStatus.Up,
                "node-a heartbeating again");
            await using var sender = new ClusterInbox(node.Store, TimeSpan.FromMilliseconds(100));
            var id = Guid.NewGuid();
            await Eventually.UntilAsync(
                async () =>
                {
                    await sender.EnqueueAsync("shard-0", id, "ping", [1]);
                    if (consumer.IsFaulted)
                    {
                        throw new InvalidOperationException("consumer faulted", consumer.Exception);
                    }

                    return received.Task.IsCompleted;
                },
                "the consumer woken after the restart");
            Assert.Equal(id, (await received.Task).CommandId);
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
