using System.Data.Common;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql.Dialects;
using CrossMargin.Persistence.Sql.Fencing;

namespace CrossMargin.Persistence.Sql.Snapshot;

/// <summary>The snapshot store on SQLite or PostgreSQL (table <c>snapshot</c>). Thread-safe; open with <see cref="OpenAsync"/>.</summary>
/// <remarks>
/// With <see cref="SqlJournalOptions.Fence"/> set, every save and delete runs in a transaction that first calls
/// <see cref="IWriteFence.CheckAsync"/> for the snapshot's persistence id, exactly like a journal write: a stale writer
/// (e.g. a cluster node that lost the stream's lease) gets <see cref="WriteFencedException"/> and nothing is written or
/// deleted, so a persistent actor's <c>SaveSnapshot</c> answers <c>SaveSnapshotFailure</c>. Loads are never fenced.
/// Without a fence the statements run on their own, as before.
/// </remarks>
public sealed class SqlSnapshotStore : ISnapshotStore
{
    private readonly SqlDialect _dialect;
    private readonly EventSerializer _serializer;
    private readonly TimeProvider _clock;

    private SqlSnapshotStore(SqlDialect dialect, EventSerializer serializer, TimeProvider clock)
    {
        _dialect = dialect;
        _serializer = serializer;
        _clock = clock;
    }

    /// <summary>Connects, creates the schema if absent, and checks its version.</summary>
    /// <exception cref="Persistence.Journal.PersistenceConnectionException">The database cannot be reached.</exception>
    /// <exception cref="Persistence.Journal.SchemaVersionException">The database was written by a newer schema version.</exception>
    public static async Task<SqlSnapshotStore> OpenAsync(SqlJournalOptions options, EventSerializer serializer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        var dialect = SqlStore.CreateDialect(options);
        try
        {
            await SqlStore.InitializeAsync(dialect, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqlSnapshotStore(dialect, serializer, options.Clock);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A transient failure (a connection the database closed, e.g. <c>57P01</c> after a restart) is retried once on a
    /// fresh connection. After a PostgreSQL restart every idle pooled connection is dead and the pool does not know it
    /// until one is used: the first load takes one and fails, and Npgsql then clears the pool, so the retry opens a
    /// new connection. Without the retry that load would fail the persistent actor's recovery and stop it for nothing
    /// (the journal's replay retries the same way). A load only reads, so running it twice is harmless.
    /// </remarks>
    public async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        try
        {
            return await LoadOnceAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && _dialect.IsTransient(e))
        {
            return await LoadOnceAsync(persistenceId, criteria, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SelectedSnapshot?> LoadOnceAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number, created, snapshot, manifest, serializer_id FROM snapshot WHERE persistence_id = @p AND sequence_number >= @minS AND sequence_number <= @maxS AND created >= @minT AND created <= @maxT ORDER BY sequence_number DESC LIMIT 1";
        SqlDialect.Param(command, "@p", persistenceId);
        SqlDialect.Param(command, "@minS", criteria.MinSequenceNr);
        SqlDialect.Param(command, "@maxS", criteria.MaxSequenceNr);
        SqlDialect.Param(command, "@minT", criteria.MinTimestamp.Ticks);
        SqlDialect.Param(command, "@maxT", criteria.MaxTimestamp.Ticks);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var seq = reader.GetInt64(0);
        var state = _serializer.Deserialize(persistenceId, seq, reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<byte[]>(2));
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, seq, new DateTime(reader.GetInt64(1), DateTimeKind.Utc)), state);
    }

    /// <inheritdoc />
    public async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var payload = _serializer.Serialize(snapshot);
        var created = metadata.Timestamp == default ? _clock.GetUtcNow().UtcTicks : metadata.Timestamp.Ticks;
        await WriteAsync(metadata.PersistenceId, command =>
        {
            command.CommandText = "INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id) VALUES (@p, @s, @c, @b, @m, @i) ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = excluded.created, snapshot = excluded.snapshot, manifest = excluded.manifest, serializer_id = excluded.serializer_id";
            SqlDialect.Param(command, "@p", metadata.PersistenceId);
            SqlDialect.Param(command, "@s", metadata.SequenceNr);
            SqlDialect.Param(command, "@c", created);
            SqlDialect.Param(command, "@b", payload.Payload);
            SqlDialect.Param(command, "@m", payload.Manifest);
            SqlDialect.Param(command, "@i", payload.SerializerId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        await WriteAsync(metadata.PersistenceId, command =>
        {
            command.CommandText = "DELETE FROM snapshot WHERE persistence_id = @p AND sequence_number = @s";
            SqlDialect.Param(command, "@p", metadata.PersistenceId);
            SqlDialect.Param(command, "@s", metadata.SequenceNr);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        await WriteAsync(persistenceId, command =>
        {
            command.CommandText = "DELETE FROM snapshot WHERE persistence_id = @p AND sequence_number >= @minS AND sequence_number <= @maxS AND created >= @minT AND created <= @maxT";
            SqlDialect.Param(command, "@p", persistenceId);
            SqlDialect.Param(command, "@minS", criteria.MinSequenceNr);
            SqlDialect.Param(command, "@maxS", criteria.MaxSequenceNr);
            SqlDialect.Param(command, "@minT", criteria.MinTimestamp.Ticks);
            SqlDialect.Param(command, "@maxT", criteria.MaxTimestamp.Ticks);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    /// <summary>
    /// Runs one writing statement for <paramref name="persistenceId"/>'s snapshots. With a fence: inside a transaction,
    /// after the fence accepted the stream (a <see cref="WriteFencedException"/> rolls back and propagates). Whatever the
    /// fence locked while checking stays locked until the commit (the cluster's epoch fence reads the lease row FOR
    /// SHARE), so a concurrent takeover waits for this statement: the snapshot lands before the new epoch or not at all.
    /// </summary>
    private async Task WriteAsync(string persistenceId, Action<DbCommand> prepare, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.Fence is not { } fence)
        {
            await using var plain = connection.CreateCommand();
            prepare(plain);
            await plain.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await fence.CheckAsync(connection, tx, [persistenceId], cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        prepare(command);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
