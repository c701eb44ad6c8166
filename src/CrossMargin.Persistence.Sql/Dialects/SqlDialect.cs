using System.Data.Common;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql.Fencing;

namespace CrossMargin.Persistence.Sql.Dialects;

/// <summary>What differs between SQLite and PostgreSQL: connections, DDL, the bulk insert, error classification.</summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>Highest schema version this build reads and writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Human-readable connection target: file path or host:port/database.</summary>
    public abstract string Target { get; }

    /// <summary>Backend name for messages.</summary>
    public abstract string Name { get; }

    /// <summary>True when only one transaction can write at a time (SQLite), so parallelism above 1 is pointless.</summary>
    public abstract bool SingleWriter { get; }

    /// <summary>Statements creating every table and index if absent, in order.</summary>
    public abstract IReadOnlyList<string> SchemaStatements { get; }

    /// <summary>An SQL expression aggregating the tags of journal row alias <c>j</c>, joined by U+001F.</summary>
    public abstract string TagsOfRowExpression { get; }

    /// <summary>Check run inside every write transaction before rows are inserted; null for none.</summary>
    public IWriteFence? Fence { get; set; }

    /// <summary>Opens a connection from the pool.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs once on a fresh connection before the schema transaction (SQLite switches to WAL here).</summary>
    public virtual Task BeforeSchemaAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once on a connection that a replay worker will keep for many reads (SQLite sets read pragmas here).</summary>
    public virtual Task PrepareReadConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The payload column of the current row. The default copies it into <paramref name="buffer"/> (grown as needed and
    /// reused across rows) and returns the filled part; only valid until the next call.
    /// </summary>
    public virtual ReadOnlySpan<byte> ReadPayload(DbDataReader reader, int ordinal, ref byte[] buffer)
    {
        var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, Math.Min(2 * buffer.Length, 1 << 20))];
        }

        var read = length == 0 ? 0 : (int)reader.GetBytes(ordinal, 0, buffer, 0, length);
        return buffer.AsSpan(0, read);
    }

    /// <summary>Serializes schema creation across processes for the duration of <paramref name="transaction"/>.</summary>
    public abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Inserts the rows and their tags in one transaction, all or nothing.</summary>
    public abstract Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken);

    /// <summary>True for a unique-key violation.</summary>
    public abstract bool IsUniqueViolation(Exception error);

    /// <summary>True for errors that may pass on retry.</summary>
    public abstract bool IsTransient(Exception error);

    /// <summary>True when <paramref name="error"/> means the database could not be reached or opened at all.</summary>
    public abstract bool IsConnectFailure(Exception error);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Runs <see cref="Fence"/> (when set) for the distinct streams of <paramref name="rows"/>, in batch order.</summary>
    /// <exception cref="WriteFencedException">A stream's resource is fenced; the caller rolls back.</exception>
    protected async Task CheckFenceAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        if (Fence is not { } fence)
        {
            return;
        }

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (seen.Add(row.PersistenceId))
            {
                ids.Add(row.PersistenceId);
            }
        }

        await fence.CheckAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a parameter named <paramref name="name"/>.</summary>
    public static DbParameter Param(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }
}
