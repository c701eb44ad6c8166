using System.Data.Common;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Journal;

namespace CrossMargin.Cluster.Tests.Fencing;

/// <summary>The journal's fence hook is backend-neutral: the same contract holds on SQLite.</summary>
public sealed class WriteFenceHookTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"cm-fence-{Guid.NewGuid():N}");

    public WriteFenceHookTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_fence_should_stamp_writer_ids_and_refuse_exactly_the_writes_it_names_on_sqlite_too()
    {
        var fence = new RefusingFence("account-2");
        await using var journal = await SqlJournal.OpenAsync(new SqlJournalOptions(SqlBackend.Sqlite, Path.Combine(_folder, "j.db")) { Fence = fence }, JournalKit.Serializer());

        var results = await journal.WriteMessagesAsync([JournalKit.Event("account-1", 1), JournalKit.Event("account-2", 1), JournalKit.Event("account-3", 1)]);

        Assert.True(results[0].IsSuccess, results[0].Error?.ToString());
        Assert.Equal("account-2", Assert.IsType<WriteFencedException>(results[1].Error).PersistenceId);
        Assert.True(results[2].IsSuccess, results[2].Error?.ToString());
        var stored = new List<string>();
        await foreach (var pid in journal.CurrentPersistenceIds())
        {
            stored.Add(pid);
        }

        Assert.Equal(["account-1", "account-3"], stored.Order(StringComparer.Ordinal));
        var writers = new List<string>();
        await journal.ReplayMessagesAsync("account-1", 1, long.MaxValue, long.MaxValue, e => writers.Add(e.WriterUuid));
        Assert.Equal(["stamped-account-1"], writers);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class RefusingFence(string refused) : IWriteFence
    {
        public string? WriterIdFor(string persistenceId) => "stamped-" + persistenceId;

        public ValueTask CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken)
            => persistenceIds.Contains(refused) ? throw new WriteFencedException(refused, "shard-x", 1, null) : ValueTask.CompletedTask;
    }
}
