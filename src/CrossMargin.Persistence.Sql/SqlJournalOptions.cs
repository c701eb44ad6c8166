using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Sql.Dialects;
using CrossMargin.Persistence.Sql.Fencing;

namespace CrossMargin.Persistence.Sql;

/// <summary>Settings of a SQL journal or snapshot store.</summary>
/// <param name="Backend">SQLite or PostgreSQL.</param>
/// <param name="ConnectionString">SQLite: a file path or a Microsoft.Data.Sqlite connection string; PostgreSQL: an Npgsql connection string.</param>
public sealed record SqlJournalOptions(SqlBackend Backend, string ConnectionString)
{
    /// <summary>Group-commit tuning (batch size, parallelism, retries). SQLite always uses one writer.</summary>
    public GroupCommitOptions GroupCommit { get; init; } = new();

    /// <summary>PostgreSQL batch insert method.</summary>
    public PostgresInsertMode PostgresInsertMode { get; init; } = PostgresInsertMode.Copy;

    /// <summary>How often live queries poll when not woken by a write from this process.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Idle read connections kept open, each with the replay statements prepared on it (one per concurrent replay or
    /// recovery up to this many; more are opened under a burst and closed afterwards).
    /// </summary>
    public int ReadSessions { get; init; } = 16;

    /// <summary>Rows fetched per query page.</summary>
    public int QueryPageSize { get; init; } = 1000;

    /// <summary>Clock stamping the <c>created</c> column.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Optional check run inside every write transaction before rows are inserted (a cluster node's epoch fence); it
    /// may also stamp each row's writer id. A <see cref="Snapshot.SqlSnapshotStore"/> opened with these options runs the
    /// same check before every snapshot save and delete. Null (the default): no check.
    /// </summary>
    public IWriteFence? Fence { get; init; }
}
