using System.Data.Common;
using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Sql.Fencing;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Fencing;

public sealed class EpochFenceTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const int Shards = 8;
    private const string Account = "account-1";
    /// <summary>Long enough that a loaded machine still checks the fence before it runs out; short enough to wait for.</summary>
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);
    private static readonly string Resource = ClusterResources.ResourceOfPersistenceId(Account, Shards)!;

    [Fact]
    public async Task A_write_under_the_held_epoch_should_be_stored_with_the_writer_id_naming_the_epoch()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var incarnation = Guid.NewGuid();
        var a = new LeaseManager(store, "node-a", incarnation, TimeSpan.FromMinutes(1), Margin);
        var lease = (await a.TryAcquireAsync(Resource))!;
        await using var journal = await JournalKit.OpenAsync(connection, new EpochFence(a.Held, Shards));

        var results = await journal.WriteMessagesAsync([JournalKit.Event(Account, 1)]);

        Assert.True(results[0].IsSuccess, results[0].Error?.ToString());
        Assert.Equal([(Account, 1L, $"node-a/{incarnation:D}/{lease.Epoch}")], await JournalKit.RowsAsync(connection));
    }

    [Fact]
    public async Task A_stale_epoch_write_after_a_takeover_should_be_refused_and_store_nothing()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var old = (await a.TryAcquireAsync(Resource))!;
        await using var journalA = await JournalKit.OpenAsync(connection, new EpochFence(a.Held, Shards));
        await using var journalB = await JournalKit.OpenAsync(connection, new EpochFence(b.Held, Shards));
        Assert.True((await journalA.WriteMessagesAsync([JournalKit.Event(Account, 1)]))[0].IsSuccess);

        // Node a stalls (it neither renews nor notices); its lease runs out and b takes over with a new epoch.
        await LeaseProbe.ExpireNowAsync(store, Resource);
        var taken = (await b.TryAcquireAsync(Resource))!;
        Assert.Same(old, a.Held.Get(Resource));

        var stale = await journalA.WriteMessagesAsync([JournalKit.Event(Account, 2, "stale")]);
        var fresh = await journalB.WriteMessagesAsync([JournalKit.Event(Account, 2, "fresh")]);

        var refused = Assert.IsType<WriteFencedException>(stale[0].Error);
        Assert.Equal((Account, Resource, (long?)old.Epoch, (long?)null), (refused.PersistenceId, refused.Resource, refused.ExpectedEpoch, refused.ActualEpoch));
        Assert.True(fresh[0].IsSuccess, fresh[0].Error?.ToString());
        Assert.Equal(
            [(Account, 1L, old.WriterId), (Account, 2L, taken.WriterId)],
            await JournalKit.RowsAsync(connection));
    }

    [Fact]
    public async Task A_write_for_a_resource_this_node_does_not_hold_should_be_refused_without_touching_others_in_the_batch()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        await using var journal = await JournalKit.OpenAsync(connection, new EpochFence(a.Held, Shards));

        // One call, one group-commit batch: the fenced write fails alone, the unfenced stream ("run") commits.
        var results = await journal.WriteMessagesAsync([JournalKit.Event(Account, 1), JournalKit.Event(Engine.Domain.EngineIds.Run, 1)]);

        var refused = Assert.IsType<WriteFencedException>(results[0].Error);
        Assert.Null(refused.ExpectedEpoch);
        Assert.True(results[1].IsSuccess, results[1].Error?.ToString());
        Assert.Equal([(Engine.Domain.EngineIds.Run, 1L, "actor-writer")], await JournalKit.RowsAsync(connection));
    }

    [Fact]
    public async Task A_takeover_racing_a_write_should_wait_for_its_commit_so_the_write_lands_before_the_new_epoch()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), ShortTtl, Margin);
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var old = (await a.TryAcquireAsync(Resource))!;
        var gate = new FenceTestKit.GatedFence(new EpochFence(a.Held, Shards));
        await using var journalA = await JournalKit.OpenAsync(connection, gate);

        // a's write passes the fence (locking the lease row FOR SHARE) and is held open before inserting.
        var write = journalA.WriteMessagesAsync([JournalKit.Event(Account, 1, "in-flight")]);
        await gate.Checked.WaitAsync(Eventually.DefaultPatience);

        // Meanwhile the lease expires and b tries to take over: its UPDATE must wait for a's transaction.
        await Eventually.UntilAsync(() => LeaseProbe.ExpiredAsync(store, Resource), "expired by the database clock");
        var takeover = b.TryAcquireAsync(Resource);
        await Eventually.UntilAsync(() => FenceTestKit.WaitingOnLeaseLockAsync(connection), "the takeover blocked on the lease row lock");
        Assert.False(takeover.IsCompleted);

        gate.Open();
        var written = await write;
        var taken = await takeover;

        Assert.True(written[0].IsSuccess, written[0].Error?.ToString());
        Assert.NotNull(taken);
        Assert.Equal(old.Epoch + 1, taken.Epoch);
        Assert.Equal([(Account, 1L, old.WriterId)], await JournalKit.RowsAsync(connection));

        // From now on a's writes are refused.
        var late = await journalA.WriteMessagesAsync([JournalKit.Event(Account, 2, "late")]);
        Assert.IsType<WriteFencedException>(late[0].Error);
    }

    [Fact]
    public async Task Completing_an_inbox_message_under_a_lost_lease_should_be_refused_and_leave_it_pending()
    {
        var (_, store) = await OpenAsync();
        await using var __ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var lease = (await a.TryAcquireAsync(Resource))!;
        await using var inbox = new Cluster.Inbox.ClusterInbox(store, TimeSpan.FromMilliseconds(200));
        await inbox.EnqueueAsync(Resource, Guid.NewGuid(), "deposit", [1]);
        var message = (await inbox.ReadPendingAsync(Resource, 10)).Single();
        await a.ReleaseAsync(lease);

        await Assert.ThrowsAsync<WriteFencedException>(() => inbox.CompleteAsync(message, [2], lease));

        Assert.Single(await inbox.ReadPendingAsync(Resource, 10));
        Assert.Null(await inbox.TryGetReplyAsync(message.CommandId));
    }

    private Task<(string Connection, ClusterStore Store)> OpenAsync() => FenceTestKit.OpenAsync(postgres, Shards);
}
