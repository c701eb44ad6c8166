using System.Data.Common;
using CrossMargin.Cluster.Fencing;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Snapshot;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Fencing;

/// <summary>The snapshot store under the epoch fence, on a real PostgreSQL: the paused-node split brain cannot leave a stale snapshot behind.</summary>
public sealed class SnapshotFenceTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private const int Shards = 8;
    private const string Account = "account-1";
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);
    private static readonly string Resource = ClusterResources.ResourceOfPersistenceId(Account, Shards)!;

    [Fact]
    public async Task A_snapshot_saved_under_the_held_epoch_should_be_stored()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        await a.TryAcquireAsync(Resource);
        await using var snapshots = await OpenSnapshotsAsync(connection, new EpochFence(a.Held, Shards));

        await snapshots.SaveAsync(Meta(Account, 5), new Noted("a@5"));

        Assert.Equal((5L, "a@5"), await LatestAsync(snapshots, Account));
    }

    [Fact]
    public async Task A_stale_epoch_snapshot_after_a_takeover_should_be_refused_and_leave_the_stored_snapshot_unchanged()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var old = (await a.TryAcquireAsync(Resource))!;
        await using var snapshotsA = await OpenSnapshotsAsync(connection, new EpochFence(a.Held, Shards));
        await using var snapshotsB = await OpenSnapshotsAsync(connection, new EpochFence(b.Held, Shards));
        await snapshotsA.SaveAsync(Meta(Account, 5), new Noted("a@5"));

        // Node a is paused past its lease (it still believes it holds it); b takes over with a new epoch.
        await LeaseProbe.ExpireNowAsync(store, Resource);
        var taken = (await b.TryAcquireAsync(Resource))!;
        Assert.Same(old, a.Held.Get(Resource));

        // a resumes and tries to overwrite the snapshot it wrote and to add a newer one: both refused.
        var overwrite = await Assert.ThrowsAsync<WriteFencedException>(() => snapshotsA.SaveAsync(Meta(Account, 5), new Noted("stale@5")));
        var newer = await Assert.ThrowsAsync<WriteFencedException>(() => snapshotsA.SaveAsync(Meta(Account, 9), new Noted("stale@9")));

        Assert.Equal((Account, Resource, (long?)old.Epoch, (long?)null), (overwrite.PersistenceId, overwrite.Resource, overwrite.ExpectedEpoch, overwrite.ActualEpoch));
        Assert.Equal(old.Epoch, newer.ExpectedEpoch);
        Assert.Equal([(5L, "a@5")], await RowsAsync(connection, Account));

        // The new owner's snapshot is stored and is what a recovery now starts from.
        await snapshotsB.SaveAsync(Meta(Account, 9), new Noted("b@9"));
        Assert.Equal(old.Epoch + 1, taken.Epoch);
        Assert.Equal((9L, "b@9"), await LatestAsync(snapshotsB, Account));
    }

    [Fact]
    public async Task A_stale_epoch_snapshot_delete_should_be_refused_and_keep_the_snapshots()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        await a.TryAcquireAsync(Resource);
        await using var snapshotsA = await OpenSnapshotsAsync(connection, new EpochFence(a.Held, Shards));
        await snapshotsA.SaveAsync(Meta(Account, 3), new Noted("a@3"));
        await snapshotsA.SaveAsync(Meta(Account, 6), new Noted("a@6"));
        await LeaseProbe.ExpireNowAsync(store, Resource);
        await b.TryAcquireAsync(Resource);

        await Assert.ThrowsAsync<WriteFencedException>(() => snapshotsA.DeleteAsync(Meta(Account, 6)));
        await Assert.ThrowsAsync<WriteFencedException>(() => snapshotsA.DeleteAsync(Account, SnapshotSelectionCriteria.Latest));

        Assert.Equal([(3L, "a@3"), (6L, "a@6")], await RowsAsync(connection, Account));
    }

    [Fact]
    public async Task A_snapshot_of_a_stream_whose_lease_this_node_does_not_hold_should_be_refused_while_unfenced_streams_are_saved()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        await using var snapshots = await OpenSnapshotsAsync(connection, new EpochFence(a.Held, Shards));

        var refused = await Assert.ThrowsAsync<WriteFencedException>(() => snapshots.SaveAsync(Meta(Account, 1), new Noted("never")));
        await snapshots.SaveAsync(Meta(Engine.Domain.EngineIds.Run, 1), new Noted("run"));

        Assert.Null(refused.ExpectedEpoch);
        Assert.Empty(await RowsAsync(connection, Account));
        Assert.Equal((1L, "run"), await LatestAsync(snapshots, Engine.Domain.EngineIds.Run));
    }

    [Fact]
    public async Task A_takeover_racing_a_snapshot_save_should_wait_for_its_commit_and_later_saves_should_be_refused()
    {
        var (connection, store) = await OpenAsync();
        await using var _ = store;
        var a = new LeaseManager(store, "node-a", Guid.NewGuid(), ShortTtl, Margin);
        var b = new LeaseManager(store, "node-b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var old = (await a.TryAcquireAsync(Resource))!;
        var gate = new FenceTestKit.GatedFence(new EpochFence(a.Held, Shards));
        await using var snapshotsA = await OpenSnapshotsAsync(connection, gate);

        // a's save passes the fence (the lease row is now locked FOR SHARE) and is held open before writing.
        var save = snapshotsA.SaveAsync(Meta(Account, 4), new Noted("in-flight"));
        await gate.Checked.WaitAsync(Eventually.DefaultPatience);
        await Eventually.UntilAsync(() => LeaseProbe.ExpiredAsync(store, Resource), "expired by the database clock");
        var takeover = b.TryAcquireAsync(Resource);
        await Eventually.UntilAsync(() => FenceTestKit.WaitingOnLeaseLockAsync(connection), "the takeover blocked on the lease row lock");
        Assert.False(takeover.IsCompleted);

        gate.Open();
        await save;
        var taken = await takeover;

        Assert.Equal(old.Epoch + 1, taken!.Epoch);
        Assert.Equal([(4L, "in-flight")], await RowsAsync(connection, Account));
        await Assert.ThrowsAsync<WriteFencedException>(() => snapshotsA.SaveAsync(Meta(Account, 7), new Noted("late")));
        Assert.Equal([(4L, "in-flight")], await RowsAsync(connection, Account));
    }

    internal static SnapshotMetadata Meta(string pid, long seq) => new(pid, seq, default);

    internal static Task<SqlSnapshotStore> OpenSnapshotsAsync(string connection, IWriteFence? fence)
        => SqlSnapshotStore.OpenAsync(new SqlJournalOptions(SqlBackend.Postgres, connection) { Fence = fence }, JournalKit.Serializer());

    internal static async Task<(long Seq, string Text)?> LatestAsync(ISnapshotStore snapshots, string pid)
        => await snapshots.LoadAsync(pid, SnapshotSelectionCriteria.Latest) is { } s ? (s.Metadata.SequenceNr, ((Noted)s.Snapshot).Text) : null;

    /// <summary>(sequence number, text) of every stored snapshot of <paramref name="pid"/>, ascending, read straight from the table.</summary>
    internal static async Task<List<(long Seq, string Text)>> RowsAsync(string connection, string pid)
    {
        var serializer = JournalKit.Serializer();
        var rows = new List<(long, string)>();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sequence_number, snapshot, manifest, serializer_id FROM snapshot WHERE persistence_id = @p ORDER BY sequence_number", conn);
        command.Parameters.AddWithValue("p", pid);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var seq = reader.GetInt64(0);
            var state = (Noted)serializer.Deserialize(pid, seq, reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(1));
            rows.Add((seq, state.Text));
        }

        return rows;
    }

    private Task<(string Connection, ClusterStore Store)> OpenAsync() => FenceTestKit.OpenAsync(postgres, Shards);
}
