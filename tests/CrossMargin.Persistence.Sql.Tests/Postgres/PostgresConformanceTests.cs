using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Snapshot;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Sql.Tests.Postgres;

internal static class PostgresOptions
{
    /// <summary>Four writer loops, so the gap-safety test really has transactions committing concurrently.</summary>
    public static SqlJournalOptions For(string connectionString) => new(SqlBackend.Postgres, connectionString)
    {
        GroupCommit = new GroupCommitOptions(MaxBatchRows: 5000, Parallelism: 4),
    };
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalSpec(PostgresFixture fixture) : JournalSpec
{
    private string? _schema;

    protected override async Task<IJournal> OpenJournalAsync(EventSerializer serializer)
    {
        _schema = await fixture.NewSchemaAsync();
        return await SqlJournal.OpenAsync(PostgresOptions.For(_schema), serializer);
    }

    protected override async Task<IJournal> ReopenJournalAsync(IJournal first, EventSerializer serializer)
        => await SqlJournal.OpenAsync(PostgresOptions.For(_schema!), serializer);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotStoreSpec(PostgresFixture fixture) : SnapshotStoreSpec
{
    protected override async Task<ISnapshotStore> OpenSnapshotStoreAsync(EventSerializer serializer)
        => await SqlSnapshotStore.OpenAsync(PostgresOptions.For(await fixture.NewSchemaAsync()), serializer);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReadJournalSpec(PostgresFixture fixture) : ReadJournalSpec
{
    protected override async Task<IJournal> OpenJournalAsync(EventSerializer serializer)
        => await SqlJournal.OpenAsync(PostgresOptions.For(await fixture.NewSchemaAsync()), serializer);
}

/// <summary>The multi-row INSERT path must behave exactly like COPY.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInsertModeJournalSpec(PostgresFixture fixture) : JournalSpec
{
    private string? _schema;

    protected override async Task<IJournal> OpenJournalAsync(EventSerializer serializer)
    {
        _schema = await fixture.NewSchemaAsync();
        return await SqlJournal.OpenAsync(PostgresOptions.For(_schema) with { PostgresInsertMode = Dialects.PostgresInsertMode.Insert }, serializer);
    }

    protected override async Task<IJournal> ReopenJournalAsync(IJournal first, EventSerializer serializer)
        => await SqlJournal.OpenAsync(PostgresOptions.For(_schema!) with { PostgresInsertMode = Dialects.PostgresInsertMode.Insert }, serializer);
}
