using System.Data.Common;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Snapshot;

namespace CrossMargin.Cluster.Tests.Fencing;

/// <summary>The snapshot store's fence hook is backend-neutral: the same contract holds on SQLite.</summary>
public sealed class SnapshotFenceHookTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"cm-snapfence-{Guid.NewGuid():N}");

    public SnapshotFenceHookTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_fence_should_refuse_exactly_the_snapshot_writes_it_names_on_sqlite_too_and_checked_each_one()
    {
        var path = Path.Combine(_folder, "s.db");
        await using (var unfenced = await SqlSnapshotStore.OpenAsync(new SqlJournalOptions(SqlBackend.Sqlite, path), JournalKit.Serializer()))
        {
            await unfenced.SaveAsync(new SnapshotMetadata("account-2", 1, default), new Noted("before"));
        }

        var fence = new RefusingFence("account-2");
        await using var snapshots = await SqlSnapshotStore.OpenAsync(new SqlJournalOptions(SqlBackend.Sqlite, path) { Fence = fence }, JournalKit.Serializer());

        await snapshots.SaveAsync(new SnapshotMetadata("account-1", 3, default), new Noted("kept"));
        var save = await Assert.ThrowsAsync<WriteFencedException>(() => snapshots.SaveAsync(new SnapshotMetadata("account-2", 4, default), new Noted("refused")));
        await Assert.ThrowsAsync<WriteFencedException>(() => snapshots.DeleteAsync(new SnapshotMetadata("account-2", 1, default)));
        await Assert.ThrowsAsync<WriteFencedException>(() => snapshots.DeleteAsync("account-2", SnapshotSelectionCriteria.Latest));

        Assert.Equal("account-2", save.PersistenceId);
        Assert.Equal("kept", ((Noted)(await snapshots.LoadAsync("account-1", SnapshotSelectionCriteria.Latest))!.Snapshot).Text);
        var survivor = (await snapshots.LoadAsync("account-2", SnapshotSelectionCriteria.Latest))!;
        Assert.Equal((1L, "before"), (survivor.Metadata.SequenceNr, ((Noted)survivor.Snapshot).Text));
        Assert.Equal(["account-1", "account-2", "account-2", "account-2"], fence.Checked);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class RefusingFence(string refused) : IWriteFence
    {
        private readonly List<string> _checked = new();

        public IReadOnlyList<string> Checked
        {
            get
            {
                lock (_checked)
                {
                    return _checked.ToArray();
                }
            }
        }

        public ValueTask CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken)
        {
            lock (_checked)
            {
                _checked.AddRange(persistenceIds);
            }

            return persistenceIds.Contains(refused) ? throw new WriteFencedException(refused, "shard-x", 1, null) : ValueTask.CompletedTask;
        }
    }
}
