using System.Data.Common;
using CrossMargin.Persistence.Serialization;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Persistence.Sql.Dialects;

/// <summary>SQLite through Microsoft.Data.Sqlite: WAL, synchronous=NORMAL, one long-lived writer connection.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    private static readonly Lazy<bool> NativeInit = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private SqliteCommand? _insertReturning;
    private SqliteCommand? _insertTag;

    public SqliteDialect(string connectionStringOrPath)
    {
        _ = NativeInit.Value;
        var builder = connectionStringOrPath.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(connectionStringOrPath)
            : new SqliteConnectionStringBuilder { DataSource = connectionStringOrPath };
        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        _connectionString = builder.ToString();
        Target = builder.DataSource == ":memory:" ? ":memory:" : Path.GetFullPath(builder.DataSource);
    }

    public override string Target { get; }

    public override string Name => "SQLite";

    public override bool SingleWriter => true;

    public override string TagsOfRowExpression => "(SELECT group_concat(tag, char(31)) FROM tags WHERE ordering_id = j.ordering)";

    public override IReadOnlyList<string> SchemaStatements { get; } = new[]
    {
        """
        CREATE TABLE IF NOT EXISTS journal (
          ordering INTEGER PRIMARY KEY AUTOINCREMENT,
          deleted INTEGER NOT NULL DEFAULT 0,
          persistence_id TEXT NOT NULL,
          sequence_number INTEGER NOT NULL,
          created INTEGER NOT NULL,
          manifest TEXT NOT NULL,
          identifier INTEGER NOT NULL,
          payload BLOB NOT NULL,
          writer_uuid TEXT NOT NULL)
        """,
        "CREATE UNIQUE INDEX IF NOT EXISTS journal_uq ON journal (persistence_id, sequence_number)",
        "CREATE TABLE IF NOT EXISTS tags (ordering_id INTEGER NOT NULL, tag TEXT NOT NULL, persistence_id TEXT NOT NULL, sequence_nr INTEGER NOT NULL, PRIMARY KEY (ordering_id, tag))",
        "CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag, ordering_id)",
        "CREATE INDEX IF NOT EXISTS tags_pid_idx ON tags (persistence_id, sequence_nr)",
        "CREATE TABLE IF NOT EXISTS journal_metadata (persistence_id TEXT PRIMARY KEY, sequence_number INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS snapshot (
          persistence_id TEXT NOT NULL,
          sequence_number INTEGER NOT NULL,
          created INTEGER NOT NULL,
          snapshot BLOB NOT NULL,
          manifest TEXT NOT NULL,
          serializer_id INTEGER NOT NULL,
          PRIMARY KEY (persistence_id, sequence_number))
        """,
    };

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task BeforeSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL cannot be switched on inside a transaction; it is a property of the file and persists.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task PrepareReadConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Replay reads whole index ranges: map the file (256 MiB window) instead of copying pages through read(),
        // and give each long-lived read connection a 32 MiB page cache instead of the 2 MiB default.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA mmap_size=268435456; PRAGMA cache_size=-32768";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ReadOnlySpan<byte> ReadPayload(DbDataReader reader, int ordinal, ref byte[] buffer)
        // Microsoft.Data.Sqlite's GetBytes goes through a blob stream (a second cursor per call); one array copy is cheaper.
        => reader.GetFieldValue<byte[]>(ordinal);

    public override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => Task.CompletedTask;

    public override async Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        await _writerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
            using var tx = writer.BeginTransaction();
            try
            {
                _insert!.Transaction = tx;
                _insertReturning!.Transaction = tx;
                _insertTag!.Transaction = tx;
                await CheckFenceAsync(writer, tx, rows, cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    InsertRow(row);
                }

                tx.Commit();
            }
            catch
            {
                tx.Rollback();
                throw;
            }
        }
        catch (SqliteException e) when (IsTransient(e))
        {
            // The connection may be unusable: start afresh on the retry.
            await ResetWriterAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _writerGate.Release();
        }
    }

    public override bool IsUniqueViolation(Exception error)
        => error is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override bool IsTransient(Exception error)
        => error is SqliteException { SqliteErrorCode: 5 or 6 or 10 };

    public override bool IsConnectFailure(Exception error)
        => error is SqliteException { SqliteErrorCode: 14 or 26 or 23 or 8 };

    public override async ValueTask DisposeAsync()
    {
        await ResetWriterAsync().ConfigureAwait(false);
        _writerGate.Dispose();
    }

    private void InsertRow(SerializedEvent row)
    {
        var command = row.Tags.Count == 0 ? _insert! : _insertReturning!;
        var p = command.Parameters;
        p[0].Value = row.PersistenceId;
        p[1].Value = row.SequenceNr;
        p[2].Value = row.Created;
        p[3].Value = row.Manifest;
        p[4].Value = row.SerializerId;
        p[5].Value = row.Payload;
        p[6].Value = row.WriterUuid;
        if (row.Tags.Count == 0)
        {
            command.ExecuteNonQuery();
            return;
        }

        var ordering = (long)command.ExecuteScalar()!;
        var t = _insertTag!.Parameters;
        foreach (var tag in row.Tags)
        {
            t[0].Value = ordering;
            t[1].Value = tag;
            t[2].Value = row.PersistenceId;
            t[3].Value = row.SequenceNr;
            _insertTag.ExecuteNonQuery();
        }
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            pragma.ExecuteNonQuery();
        }

        const string Insert = "INSERT INTO journal (deleted, persistence_id, sequence_number, created, manifest, identifier, payload, writer_uuid) VALUES (0, $p, $s, $c, $m, $i, $b, $w)";
        _insert = Prepare(connection, Insert, "$p", "$s", "$c", "$m", "$i", "$b", "$w");
        _insertReturning = Prepare(connection, Insert + " RETURNING ordering", "$p", "$s", "$c", "$m", "$i", "$b", "$w");
        _insertTag = Prepare(connection, "INSERT INTO tags (ordering_id, tag, persistence_id, sequence_nr) VALUES ($o, $t, $p, $s)", "$o", "$t", "$p", "$s");
        _writer = connection;
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        return command;
    }

    private async Task ResetWriterAsync()
    {
        _insert?.Dispose();
        _insertReturning?.Dispose();
        _insertTag?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        _writer = null;
        _insert = _insertReturning = _insertTag = null;
    }
}
