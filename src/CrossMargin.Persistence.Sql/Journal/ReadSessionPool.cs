using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using CrossMargin.Persistence.Sql.Dialects;

namespace CrossMargin.Persistence.Sql.Journal;

/// <summary>
/// An open read connection with the replay and highest-sequence-number statements prepared on it. A replay worker
/// rents one for the duration of one replay, so recovering many short streams costs one statement execution each:
/// no connection open, no SQL parse, no plan.
/// </summary>
internal sealed class ReadSession : IAsyncDisposable
{
    /// <summary>
    /// Events of one stream in a range, each row also carrying the stream's highest stored sequence number and the
    /// one kept in journal_metadata after deletes. Both subqueries are uncorrelated, so the database evaluates them
    /// once per execution (an index seek each), not per row.
    /// </summary>
    public const string ReplaySql =
        "SELECT j.sequence_number, j.created, j.manifest, j.identifier, j.payload, j.writer_uuid, " +
        "(SELECT MAX(h.sequence_number) FROM journal h WHERE h.persistence_id = @p) AS highest_stored, " +
        "(SELECT m.sequence_number FROM journal_metadata m WHERE m.persistence_id = @p) AS highest_kept " +
        "FROM journal j WHERE j.persistence_id = @p AND j.sequence_number >= @f AND j.sequence_number <= @t ORDER BY j.sequence_number LIMIT @n";

    /// <summary>The highest sequence number ever stored: the journal's maximum or, after deletes, journal_metadata's.</summary>
    public const string HighestSql =
        "SELECT COALESCE(MAX(m), 0) FROM (SELECT MAX(sequence_number) AS m FROM journal WHERE persistence_id = @p UNION ALL SELECT sequence_number FROM journal_metadata WHERE persistence_id = @p) AS x";

    private ReadSession(DbConnection connection, DbCommand replay, DbCommand highest)
    {
        Connection = connection;
        Replay = replay;
        Highest = highest;
    }

    public DbConnection Connection { get; }

    /// <summary>Parameters in order: persistence id, from, to, max.</summary>
    public DbCommand Replay { get; }

    /// <summary>Parameter: persistence id.</summary>
    public DbCommand Highest { get; }

    public static async Task<ReadSession> OpenAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await dialect.PrepareReadConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
            var replay = Create(connection, ReplaySql, ("@p", DbType.String), ("@f", DbType.Int64), ("@t", DbType.Int64), ("@n", DbType.Int64));
            var highest = Create(connection, HighestSql, ("@p", DbType.String));
            await replay.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await highest.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return new ReadSession(connection, replay, highest);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void SetReplay(string persistenceId, long from, long to, long max)
    {
        var p = Replay.Parameters;
        p[0].Value = persistenceId;
        p[1].Value = from;
        p[2].Value = to;
        p[3].Value = max;
    }

    public async Task<long> ReadHighestAsync(string persistenceId, CancellationToken cancellationToken)
    {
        Highest.Parameters[0].Value = persistenceId;
        var value = await Highest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Replay.DisposeAsync().ConfigureAwait(false);
        await Highest.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    private static DbCommand Create(DbConnection connection, string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            p.Value = type == DbType.String ? string.Empty : 0L;
            command.Parameters.Add(p);
        }

        return command;
    }
}

/// <summary>
/// Idle <see cref="ReadSession"/>s kept for reuse, at most a fixed number; more are opened under a burst and closed on
/// return. A session whose use threw is closed, never reused (its connection may be broken), and the idle ones are
/// closed with it: a broken connection most often means the server restarted, which broke every idle session too.
/// </summary>
internal sealed class ReadSessionPool(SqlDialect dialect, int maxIdle) : IAsyncDisposable
{
    private readonly ConcurrentBag<ReadSession> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    public async ValueTask<ReadSession> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }

        return await ReadSession.OpenAsync(dialect, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns a session after use; <paramref name="healthy"/> false closes it.</summary>
    public async ValueTask ReturnAsync(ReadSession session, bool healthy)
    {
        if (healthy && !_disposed && Interlocked.Increment(ref _idleCount) <= maxIdle)
        {
            _idle.Add(session);
            if (!_disposed)
            {
                return;
            }

            // Disposed meanwhile: fall through to close whatever is left, this session included.
            while (_idle.TryTake(out var left))
            {
                await left.DisposeAsync().ConfigureAwait(false);
            }

            return;
        }

        if (healthy && !_disposed)
        {
            Interlocked.Decrement(ref _idleCount);
        }

        if (!healthy)
        {
            while (_idle.TryTake(out var idle))
            {
                Interlocked.Decrement(ref _idleCount);
                await idle.DisposeAsync().ConfigureAwait(false);
            }
        }

        await session.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
