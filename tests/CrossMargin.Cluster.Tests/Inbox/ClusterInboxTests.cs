using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Inbox;

public sealed class ClusterInboxTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    /// <summary>So long that only a NOTIFY can wake a waiter within the test's patience.</summary>
    private static readonly TimeSpan NoPoll = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_duplicate_enqueue_should_be_a_no_op()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(200));
        var id = Guid.NewGuid();

        var first = await inbox.EnqueueAsync("shard-1", id, "deposit", [1, 2, 3]);
        var second = await inbox.EnqueueAsync("shard-1", id, "deposit", [9, 9, 9]);

        Assert.True(first.Enqueued);
        Assert.False(second.Enqueued);
        Assert.Null(second.StoredReply);
        var pending = Assert.Single(await inbox.ReadPendingAsync("shard-1", 10));
        Assert.Equal(new byte[] { 1, 2, 3 }, pending.Payload);
    }

    [Fact]
    public async Task A_completed_command_redelivered_should_get_the_stored_reply_without_running_again()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(200));
        var id = Guid.NewGuid();
        await inbox.EnqueueAsync("shard-2", id, "withdraw", [1]);
        var message = Assert.Single(await inbox.ReadPendingAsync("shard-2", 10));
        Assert.True(await inbox.CompleteAsync(message, [42]));

        var again = await inbox.EnqueueAsync("shard-2", id, "withdraw", [1]);
        var reply = await inbox.RequestAsync("shard-2", id, "withdraw", [1], TimeSpan.FromSeconds(10));

        Assert.True(again.AlreadyCompleted);
        Assert.Equal(new byte[] { 42 }, again.StoredReply);
        Assert.Equal(new byte[] { 42 }, reply);
        Assert.Empty(await inbox.ReadPendingAsync("shard-2", 10));
        Assert.False(await inbox.CompleteAsync(message, [43]));
        Assert.Equal(new byte[] { 42 }, await inbox.TryGetReplyAsync(id));
    }

    [Fact]
    public async Task A_notify_should_wake_a_waiting_consumer_and_a_waiting_requester()
    {
        await using var store = await OpenAsync();
        await using var consumerSide = new ClusterInbox(store, NoPoll);
        await using var senderSide = new ClusterInbox(store, NoPoll);
        using var stop = new CancellationTokenSource();
        var consumed = new TaskCompletionSource<InboxMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Task.Run(async () =>
        {
            await foreach (var message in consumerSide.ConsumeAsync("shard-3", stop.Token))
            {
                consumed.TrySetResult(message);
                await consumerSide.CompleteAsync(message, [7, 7], CancellationToken.None);
            }
        });

        // The consumer is idle (its first read found nothing) before the command is sent.
        await Eventually.UntilAsync(() => ListenersAsync(store), n => n >= 1, "the consumer listening");
        var reply = await senderSide.RequestAsync("shard-3", Guid.NewGuid(), "deposit", [5], TimeSpan.FromSeconds(20));

        Assert.Equal(new byte[] { 7, 7 }, reply);
        Assert.Equal(new byte[] { 5 }, (await consumed.Task).Payload);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
    }

    [Fact]
    public async Task A_consumer_should_deliver_each_pending_message_once_in_id_order()
    {
        await using var store = await OpenAsync();
        await using var inbox = new ClusterInbox(store, TimeSpan.FromMilliseconds(100));
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            await inbox.EnqueueAsync("shard-4", id, "deposit", [1]);
        }

        await inbox.EnqueueAsync("shard-5", Guid.NewGuid(), "deposit", [1]);
        using var stop = new CancellationTokenSource();
        var seen = new List<Guid>();
        try
        {
            await foreach (var message in inbox.ConsumeAsync("shard-4", stop.Token))
            {
                seen.Add(message.CommandId);
                if (seen.Count == ids.Length)
                {
                    // Leave the messages uncompleted: this consumer must still not yield them a second time.
                    await using var extra = new ClusterInbox(store, TimeSpan.FromMilliseconds(100));
                    await extra.EnqueueAsync("shard-4", Guid.NewGuid(), "last", [2]);
                }

                if (seen.Count == ids.Length + 1)
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(ids, seen.Take(ids.Length));
        Assert.Equal(ids.Length + 1, seen.Distinct().Count());
    }

    private async Task<ClusterStore> OpenAsync()
        => await ClusterStore.OpenAsync(new ClusterStoreOptions(await postgres.NewDatabaseAsync()) { ShardCount = 8 });

    private static async Task<long> ListenersAsync(ClusterStore store)
    {
        await using var command = store.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
