using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Snapshot;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Sql.Tests.Sqlite;

internal static class SqliteOptions
{
    public static SqlJournalOptions For(TempDirectory dir) => new(SqlBackend.Sqlite, dir.File("journal.db"));
}

public sealed class SqliteJournalSpec : JournalSpec, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IJournal> OpenJournalAsync(EventSerializer serializer)
        => await SqlJournal.OpenAsync(SqliteOptions.For(_dir), serializer);

    protected override async Task<IJournal> ReopenJournalAsync(IJournal first, EventSerializer serializer)
        => await SqlJournal.OpenAsync(SqliteOptions.For(_dir), serializer);

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<ISnapshotStore> OpenSnapshotStoreAsync(EventSerializer serializer)
        => await SqlSnapshotStore.OpenAsync(SqliteOptions.For(_dir), serializer);

    public void Dispose() => _dir.Dispose();
}

public sealed class SqliteReadJournalSpec : ReadJournalSpec, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override async Task<IJournal> OpenJournalAsync(EventSerializer serializer)
        => await SqlJournal.OpenAsync(SqliteOptions.For(_dir), serializer);

    public void Dispose() => _dir.Dispose();
}
