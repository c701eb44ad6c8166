using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql.Dialects;

namespace CrossMargin.Persistence.Sql.Journal;

/// <summary>
/// The journal and read journal on SQLite or PostgreSQL, writing through a <see cref="GroupCommitWriter"/>.
/// Open with <see cref="OpenAsync"/>; dispose to flush queued writes and close connections.
/// </summary>
/// <remarks>Thread-safe. See docs/persistence.md for the schema, group commit and gap safety.</remarks>
public sealed class SqlJournal : IJournal, IReadJournal
{
    private const string RowColumns = "j.ordering, j.persistence_id, j.sequence_number, j.created, j.manifest, j.identifier, j.payload, j.writer_uuid";

    private readonly SqlDialect _dialect;
    private readonly EventSerializer _serializer;
    private readonly SqlJournalOptions _options;
    private readonly GroupCommitWriter _writer;
    private readonly ChangeSignal _changed = new();
    private readonly ReadSessionPool _reads;

    private SqlJournal(SqlDialect dialect, EventSerializer serializer, SqlJournalOptions options)
    {
        _dialect = dialect;
        _serializer = serializer;
        _options = options;
        _reads = new ReadSessionPool(dialect, options.ReadSessions);
        var groupCommit = dialect.SingleWriter ? options.GroupCommit with { Parallelism = 1 } : options.GroupCommit;
        _writer = new GroupCommitWriter(new Sink(this), groupCommit);
        _writer.Committed += _changed.Pulse;
    }

    /// <summary>The connection target (file path or host:port/database), for messages.</summary>
    public string Target => _dialect.Target;

    /// <summary>Connects, creates the schema if absent, and checks its version.</summary>
    /// <exception cref="PersistenceConnectionException">The database cannot be reached; the message names the target.</exception>
    /// <exception cref="SchemaVersionException">The database was written by a newer schema version.</exception>
    public static async Task<SqlJournal> OpenAsync(SqlJournalOptions options, EventSerializer serializer, CancellationToken cancellationToken = default)
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

        return new SqlJournal(dialect, serializer, options);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var results = new WriteResult[writes.Count];
        var accepted = new List<IReadOnlyList<SerializedEvent>>(writes.Count);
        var positions = new List<int>(writes.Count);
        var created = _options.Clock.GetUtcNow().UtcTicks;
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                accepted.Add(Stamp(JournalRows.Serialize(writes[i], _serializer, created)));
                positions.Add(i);
            }
            catch (EventSerializationException e)
            {
                results[i] = WriteResult.Rejected(e);
            }
        }

        // All accepted writes of this call travel as one unit, so they share a transaction.
        // One completion for the whole call, not one per write: the writer settles every write before it fires.
        var errors = await _writer.WriteGroupAsync(accepted).ConfigureAwait(false);
        for (var k = 0; k < errors.Length; k++)
        {
            results[positions[k]] = errors[k] is { } error ? WriteResult.Failed(error) : WriteResult.Success;
        }

        return results;
    }

    /// <summary>
    /// Replaces each row's writer id with the fence's (a cluster node stamps <c>node/incarnation/epoch</c>), once, when
    /// the write is queued: retries of the same write then carry the same id, which is what lets a retry whose commit
    /// was lost be recognised as already stored.
    /// </summary>
    private SerializedEvent[] Stamp(SerializedEvent[] rows)
    {
        if (_options.Fence is not { } fence || rows.Length == 0)
        {
            return rows;
        }

        var writer = fence.WriterIdFor(rows[0].PersistenceId);
        if (writer is null)
        {
            return rows;
        }

        if (writer.Length > 128)
        {
            throw new EventSerializationException($"writer id '{writer[..40]}…' for {rows[0].PersistenceId} is {writer.Length} characters; at most 128 are allowed");
        }

        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = rows[i] with { WriterUuid = writer };
        }

        return rows;
    }

    /// <inheritdoc />
    public async Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (max <= 0 || fromSequenceNr > toSequenceNr)
        {
            return;
        }

        await ReplayCoreAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, highestIfEmpty: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One prepared statement on a pooled read connection returns the events together with the highest sequence
    /// number (both from the same statement snapshot); only when it returns no rows does a second, prepared query read
    /// the highest on its own (an empty or fully deleted stream).
    /// </remarks>
    public async Task<long> ReplayAndReadHighestAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (max <= 0 || fromSequenceNr > toSequenceNr)
        {
            return await ReadHighestSequenceNrAsync(persistenceId, Math.Max(0, fromSequenceNr - 1), cancellationToken).ConfigureAwait(false);
        }

        return await ReplayCoreAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, highestIfEmpty: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A transient failure (a connection the database closed, e.g. <c>57P01</c> after a restart) is retried once on a
    /// new session, as the replay is: the failed session's return drops every idle session of the pool, so the retry
    /// opens a fresh connection. Reading twice is harmless.
    /// </remarks>
    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadHighestOnceAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && _dialect.IsTransient(e))
        {
            return await ReadHighestOnceAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> ReadHighestOnceAsync(string persistenceId, CancellationToken cancellationToken)
    {
        var session = await _reads.RentAsync(cancellationToken).ConfigureAwait(false);
        var healthy = false;
        try
        {
            var highest = await session.ReadHighestAsync(persistenceId, cancellationToken).ConfigureAwait(false);
            healthy = true;
            return highest;
        }
        finally
        {
            await _reads.ReturnAsync(session, healthy).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var highest = await HighestAsync(connection, tx, persistenceId, cancellationToken).ConfigureAwait(false);
        if (highest > 0)
        {
            // Keep the highest sequence number in journal_metadata so it never decreases once rows are gone.
            await ExecAsync(connection, tx, "INSERT INTO journal_metadata (persistence_id, sequence_number) VALUES (@p, @h) ON CONFLICT (persistence_id) DO UPDATE SET sequence_number = excluded.sequence_number", persistenceId, highest, cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, tx, "DELETE FROM tags WHERE persistence_id = @p AND sequence_nr <= @h", persistenceId, toSequenceNr, cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, tx, "DELETE FROM journal WHERE persistence_id = @p AND sequence_number <= @h", persistenceId, toSequenceNr, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default)
        => QueryPaging.BySequence((f, t, n, ct) => PageBySequenceAsync(persistenceId, f, t, n, ct), fromSequenceNr, toSequenceNr, _options.QueryPageSize, false, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default)
        => QueryPaging.BySequence((f, t, n, ct) => PageBySequenceAsync(persistenceId, f, t, n, ct), fromSequenceNr, toSequenceNr, _options.QueryPageSize, true, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, ct) => PageByOrderingAsync(tag, o, n, ct), offset, _options.QueryPageSize, false, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> EventsByTag(string tag, long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, ct) => PageByOrderingAsync(tag, o, n, ct), offset, _options.QueryPageSize, true, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentAllEvents(long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, ct) => PageByOrderingAsync(null, o, n, ct), offset, _options.QueryPageSize, false, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> AllEvents(long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, ct) => PageByOrderingAsync(null, o, n, ct), offset, _options.QueryPageSize, true, _changed, _options.RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> CurrentPersistenceIds([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT persistence_id FROM journal";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.GetString(0);
        }
    }

    /// <summary>Flushes queued writes, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _reads.DisposeAsync().ConfigureAwait(false);
        await _dialect.DisposeAsync().ConfigureAwait(false);
    }

    private const int InlineReplayRows = 256;

    /// <summary>
    /// Runs the replay statement on a rented read session. Returns the stream's highest sequence number as carried by
    /// the rows, or, when no row came back, the one read by the highest query (<paramref name="highestIfEmpty"/>) or -1.
    /// </summary>
    /// <remarks>
    /// A transient failure before the first event was delivered is retried once on a new session: after a database
    /// restart every idle session's connection is dead (the pool drops them all at the first failure), and a recovery
    /// that failed on one would stop its persistent actor for nothing.
    /// </remarks>
    private async Task<long> ReplayCoreAsync(string persistenceId, long from, long to, long max, Action<PersistentRepr> onEvent, bool highestIfEmpty, CancellationToken cancellationToken)
    {
        var delivered = false;
        try
        {
            return await ReplayOnceAsync(persistenceId, from, to, max, e => { delivered = true; onEvent(e); }, highestIfEmpty, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!delivered && !cancellationToken.IsCancellationRequested && _dialect.IsTransient(e))
        {
            return await ReplayOnceAsync(persistenceId, from, to, max, onEvent, highestIfEmpty, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> ReplayOnceAsync(string persistenceId, long from, long to, long max, Action<PersistentRepr> onEvent, bool highestIfEmpty, CancellationToken cancellationToken)
    {
        var session = await _reads.RentAsync(cancellationToken).ConfigureAwait(false);
        var healthy = false;
        try
        {
            var highest = -1L;
            session.SetReplay(persistenceId, from, to, max);
            await using (var reader = await session.Replay.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                // Short streams are delivered straight from the reader, payloads read into one reused buffer. A long
                // one switches to a two-stage pipeline: a reader task fetches rows while this thread deserializes and
                // calls back, so replay uses both cores.
                var buffer = Array.Empty<byte>();
                var inline = 0;
                while (inline < InlineReplayRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (inline++ == 0)
                    {
                        highest = Math.Max(reader.GetInt64(6), reader.IsDBNull(7) ? 0 : reader.GetInt64(7));
                    }

                    buffer = DeliverFromReader(persistenceId, reader, buffer, onEvent);
                }

                if (inline == InlineReplayRows)
                {
                    await PipelinedReplayAsync(persistenceId, reader, onEvent, cancellationToken).ConfigureAwait(false);
                }
            }

            if (highest < 0 && highestIfEmpty)
            {
                highest = await session.ReadHighestAsync(persistenceId, cancellationToken).ConfigureAwait(false);
            }

            healthy = true;
            return highest;
        }
        finally
        {
            await _reads.ReturnAsync(session, healthy).ConfigureAwait(false);
        }
    }

    private byte[] DeliverFromReader(string persistenceId, DbDataReader reader, byte[] buffer, Action<PersistentRepr> onEvent)
    {
        var sequenceNr = reader.GetInt64(0);
        var manifest = reader.GetString(2);
        var bytes = _dialect.ReadPayload(reader, 4, ref buffer);
        var payload = _serializer.Deserialize(persistenceId, sequenceNr, manifest, reader.GetInt32(3), bytes);
        onEvent(new PersistentRepr(persistenceId, sequenceNr, payload, reader.GetString(5), Array.Empty<string>(), reader.GetInt64(1), manifest));
        return buffer;
    }

    private const int ReplayChunkRows = 1024;

    private async Task PipelinedReplayAsync(string persistenceId, DbDataReader reader, Action<PersistentRepr> onEvent, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = Channel.CreateBounded<ReplayRow[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var chunk = new List<ReplayRow>(ReplayChunkRows);
                    while (await reader.ReadAsync(stop.Token).ConfigureAwait(false))
                    {
                        chunk.Add(ReplayRow.Read(reader));
                        if (chunk.Count == ReplayChunkRows)
                        {
                            await chunks.Writer.WriteAsync(chunk.ToArray(), stop.Token).ConfigureAwait(false);
                            chunk.Clear();
                        }
                    }

                    if (chunk.Count > 0)
                    {
                        await chunks.Writer.WriteAsync(chunk.ToArray(), stop.Token).ConfigureAwait(false);
                    }

                    chunks.Writer.Complete();
                }
                catch (Exception e)
                {
                    chunks.Writer.Complete(e);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in chunk)
                {
                    Deliver(persistenceId, row, onEvent);
                }
            }
        }
        finally
        {
            // Stop the reader task before the data reader is disposed (on a callback error or cancellation).
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    private void Deliver(string persistenceId, in ReplayRow row, Action<PersistentRepr> onEvent)
    {
        var payload = _serializer.Deserialize(persistenceId, row.SequenceNr, row.Manifest, row.SerializerId, row.Payload);
        onEvent(new PersistentRepr(persistenceId, row.SequenceNr, payload, row.WriterUuid, Array.Empty<string>(), row.Created, row.Manifest));
    }

    private static async Task<long> HighestAsync(DbConnection connection, DbTransaction? tx, string persistenceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(m), 0) FROM (SELECT MAX(sequence_number) AS m FROM journal WHERE persistence_id = @p UNION ALL SELECT sequence_number FROM journal_metadata WHERE persistence_id = @p) AS x";
        SqlDialect.Param(command, "@p", persistenceId);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction tx, string sql, string persistenceId, long value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        SqlDialect.Param(command, "@p", persistenceId);
        SqlDialect.Param(command, "@h", value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<EventEnvelope>> PageBySequenceAsync(string persistenceId, long from, long to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RowColumns}, {_dialect.TagsOfRowExpression} FROM journal j WHERE j.persistence_id = @p AND j.sequence_number >= @f AND j.sequence_number <= @t ORDER BY j.sequence_number LIMIT @n";
        SqlDialect.Param(command, "@p", persistenceId);
        SqlDialect.Param(command, "@f", from);
        SqlDialect.Param(command, "@t", to);
        SqlDialect.Param(command, "@n", limit);
        return await ReadEnvelopesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<EventEnvelope>> PageByOrderingAsync(string? tag, long afterOrdering, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = tag is null
            ? $"SELECT {RowColumns}, {_dialect.TagsOfRowExpression} FROM journal j WHERE j.ordering > @o ORDER BY j.ordering LIMIT @n"
            : $"SELECT {RowColumns}, {_dialect.TagsOfRowExpression} FROM tags t JOIN journal j ON j.ordering = t.ordering_id WHERE t.tag = @tag AND t.ordering_id > @o ORDER BY t.ordering_id LIMIT @n";
        SqlDialect.Param(command, "@o", afterOrdering);
        SqlDialect.Param(command, "@n", limit);
        if (tag is not null)
        {
            SqlDialect.Param(command, "@tag", tag);
        }

        return await ReadEnvelopesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<EventEnvelope>> ReadEnvelopesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var result = new List<EventEnvelope>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var tags = reader.IsDBNull(8) ? Array.Empty<string>() : reader.GetString(8).Split('\u001f');
            var row = new SerializedEvent(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<byte[]>(6), reader.GetString(7), tags);
            result.Add(JournalRows.ToEnvelope(reader.GetInt64(0), row, _serializer));
        }

        return result;
    }

    private async Task<bool> IsAlreadyStoredAsync(IReadOnlyList<SerializedEvent> write, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = @p AND sequence_number >= @f AND sequence_number <= @t AND writer_uuid = @w";
        SqlDialect.Param(command, "@p", write[0].PersistenceId);
        SqlDialect.Param(command, "@f", write[0].SequenceNr);
        SqlDialect.Param(command, "@t", write[^1].SequenceNr);
        SqlDialect.Param(command, "@w", write[0].WriterUuid);
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return count == write.Count;
    }

    private readonly record struct ReplayRow(long SequenceNr, long Created, string Manifest, int SerializerId, byte[] Payload, string WriterUuid)
    {
        public static ReplayRow Read(DbDataReader reader)
            => new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<byte[]>(4), reader.GetString(5));
    }

    private sealed class Sink(SqlJournal journal) : IBatchSink
    {
        public Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
            => journal._dialect.WriteBatchAsync(rows, cancellationToken);

        public bool IsUniqueViolation(Exception error) => journal._dialect.IsUniqueViolation(error);

        public bool IsTransient(Exception error) => journal._dialect.IsTransient(error);

        public Task<bool> IsAlreadyStoredAsync(IReadOnlyList<SerializedEvent> write, CancellationToken cancellationToken)
            => journal.IsAlreadyStoredAsync(write, cancellationToken);
    }
}
