using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Inbox;

/// <summary>
/// The inbox retention on a real PostgreSQL. Rows are made old by moving their timestamps back (as the database clock
/// would after the retention), never by waiting.
/// </summary>
public sealed class InboxRetentionTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan PastRetention = TimeSpan.FromHours(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_purge_should_delete_old_done_messages_with_their_replies_and_keep_pending_and_recent_ones()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        var oldDone = await CompletedAsync(inbox, "shard-1", [1]);
        var recentDone = await CompletedAsync(inbox, "shard-1", [2]);
        var oldPending = Guid.NewGuid();
        await inbox.EnqueueAsync("shard-1", oldPending, "deposit", [3]);
        var recentPending = Guid.NewGuid();
        await inbox.EnqueueAsync("shard-1", recentPending, "deposit", [4]);
        await AgeAsync(store, oldDone, PastRetention);
        await AgeAsync(store, oldPending, PastRetention);
        await using var retention = new InboxRetention(store, Retention);

        var result = await retention.PurgeOnceAsync();

        Assert.Equal((1L, 1L), (result.Messages, result.Replies));
        Assert.Equal([recentDone, oldPending, recentPending], await CommandIdsAsync(store));
        Assert.Null(await inbox.TryGetReplyAsync(oldDone));
        Assert.Equal(new byte[] { 102 }, await inbox.TryGetReplyAsync(recentDone));
        Assert.Equal([oldPending, recentPending], (await inbox.ReadPendingAsync("shard-1", 10)).Select(m => m.CommandId));
        Assert.Equal(0L, (await retention.PurgeOnceAsync()).Messages);
    }

    [Fact]
    public async Task A_duplicate_enqueue_within_the_retention_should_still_be_answered_from_the_stored_reply_after_a_purge()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        var id = await CompletedAsync(inbox, "shard-2", [7]);
        await AgeAsync(store, id, TimeSpan.FromMinutes(59));
        await using var retention = new InboxRetention(store, Retention);

        await retention.PurgeOnceAsync();
        var again = await inbox.EnqueueAsync("shard-2", id, "withdraw", [7]);

        Assert.False(again.Enqueued);
        Assert.Equal(new byte[] { 107 }, again.StoredReply);
        Assert.Empty(await inbox.ReadPendingAsync("shard-2", 10));
    }

    [Fact]
    public async Task A_command_re_sent_after_its_retention_should_be_enqueued_again_as_the_docs_warn()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        var id = await CompletedAsync(inbox, "shard-3", [8]);
        await AgeAsync(store, id, PastRetention);
        await using var retention = new InboxRetention(store, Retention);

        await retention.PurgeOnceAsync();
        var again = await inbox.EnqueueAsync("shard-3", id, "withdraw", [8]);

        Assert.True(again.Enqueued);
        Assert.Equal([id], (await inbox.ReadPendingAsync("shard-3", 10)).Select(m => m.CommandId));
    }

    [Fact]
    public async Task A_long_backlog_should_be_deleted_in_batches_of_at_most_the_batch_size()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        for (var i = 0; i < 25; i++)
        {
            await AgeAsync(store, await CompletedAsync(inbox, $"shard-{i % 4}", [(byte)i]), PastRetention);
        }

        await using var retention = new InboxRetention(store, Retention) { BatchSize = 10 };

        var result = await retention.PurgeOnceAsync();

        Assert.Equal((25L, 25L, 3), (result.Messages, result.Replies, result.Batches));
        Assert.Empty(await CommandIdsAsync(store));
        Assert.Equal(0L, await RepliesAsync(store));
    }

    [Fact]
    public async Task Purges_running_at_once_on_two_nodes_should_delete_every_old_row_exactly_once()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        for (var i = 0; i < 40; i++)
        {
            await AgeAsync(store, await CompletedAsync(inbox, "shard-5", [(byte)i]), PastRetention);
        }

        var keep = await CompletedAsync(inbox, "shard-5", [200]);
        await using var nodeA = new InboxRetention(store, Retention) { BatchSize = 5 };
        await using var nodeB = new InboxRetention(store, Retention) { BatchSize = 5 };
        using var start = new Barrier(2);

        var results = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return nodeA.PurgeOnceAsync(); }),
            Task.Run(() => { start.SignalAndWait(); return nodeB.PurgeOnceAsync(); }));

        Assert.Equal(40L, results.Sum(r => r.Messages));
        Assert.Equal(40L, results.Sum(r => r.Replies));
        Assert.Equal([keep], await CommandIdsAsync(store));
        Assert.Equal(1L, await RepliesAsync(store));
    }

    [Fact]
    public async Task A_late_completion_of_a_purged_message_should_store_no_reply()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        var id = Guid.NewGuid();
        await inbox.EnqueueAsync("shard-6", id, "deposit", [1]);
        var message = Assert.Single(await inbox.ReadPendingAsync("shard-6", 10));
        Assert.True(await inbox.CompleteAsync(message, [2]));
        await AgeAsync(store, id, PastRetention);
        await using var retention = new InboxRetention(store, Retention);
        await retention.PurgeOnceAsync();

        // A stale consumer that held the message all this time completes it again.
        Assert.False(await inbox.CompleteAsync(message, [3]));

        Assert.Null(await inbox.TryGetReplyAsync(id));
        Assert.Equal(0L, await RepliesAsync(store));
    }

    [Fact]
    public async Task Started_retention_should_purge_periodically_until_disposed()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, Poll);
        var id = await CompletedAsync(inbox, "shard-7", [9]);
        await AgeAsync(store, id, PastRetention);
        var retention = new InboxRetention(store, Retention) { Interval = TimeSpan.FromMilliseconds(50) };

        retention.Start();
        await Eventually.UntilAsync(async () => (await CommandIdsAsync(store)).Count == 0, "purged by the background loop");
        await retention.DisposeAsync();

        var late = await CompletedAsync(inbox, "shard-7", [10]);
        await AgeAsync(store, late, PastRetention);
        Assert.Equal([late], await CommandIdsAsync(store));
    }

    [Fact]
    public void The_default_interval_should_be_a_quarter_of_the_retention_between_one_second_and_one_minute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), InboxRetention.DefaultInterval(TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromSeconds(30), InboxRetention.DefaultInterval(TimeSpan.FromMinutes(2)));
        Assert.Equal(TimeSpan.FromSeconds(1), InboxRetention.DefaultInterval(TimeSpan.FromSeconds(2)));
    }

    private async Task<ClusterStore> OpenAsync()
        => await ClusterStore.OpenAsync(new ClusterStoreOptions(await postgres.NewDatabaseAsync()) { ShardCount = 8 });

    /// <summary>Enqueues a command and completes it with reply <c>payload[0] + 100</c>; returns its id.</summary>
    private static async Task<Guid> CompletedAsync(ClusterInbox inbox, string target, byte[] payload)
    {
        var id = Guid.NewGuid();
        await inbox.EnqueueAsync(target, id, "withdraw", payload);
        var message = (await inbox.ReadPendingAsync(target, 1000)).Single(m => m.CommandId == id);
        Assert.True(await inbox.CompleteAsync(message, [(byte)(payload[0] + 100)]));
        return id;
    }

    /// <summary>Moves the command's enqueue, completion and reply times back by <paramref name="age"/>, as if that much database time had passed.</summary>
    private static async Task AgeAsync(ClusterStore store, Guid commandId, TimeSpan age)
    {
        await using var inbox = store.DataSource.CreateCommand("UPDATE cm_cluster_inbox SET enqueued_at = enqueued_at - @a, done_at = done_at - @a WHERE command_id = @c");
        inbox.Parameters.AddWithValue("a", age);
        inbox.Parameters.AddWithValue("c", commandId);
        Assert.Equal(1, await inbox.ExecuteNonQueryAsync());
        await using var reply = store.DataSource.CreateCommand("UPDATE cm_cluster_replies SET created_at = created_at - @a WHERE command_id = @c");
        reply.Parameters.AddWithValue("a", age);
        reply.Parameters.AddWithValue("c", commandId);
        await reply.ExecuteNonQueryAsync();
    }

    private static async Task<List<Guid>> CommandIdsAsync(ClusterStore store)
    {
        await using var command = store.DataSource.CreateCommand("SELECT command_id FROM cm_cluster_inbox ORDER BY id");
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static async Task<long> RepliesAsync(ClusterStore store)
    {
        await using var command = store.DataSource.CreateCommand("SELECT count(*) FROM cm_cluster_replies");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
