using System.Data.Common;
using System.IO;
using System.Net.Sockets;
using CrossMargin.Persistence.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace CrossMargin.Persistence.Sql.Dialects;

/// <summary>
/// PostgreSQL through Npgsql. Every write transaction takes one advisory lock before allocating orderings, so
/// orderings become visible in commit order and ordering-based queries never skip a late commit.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>Advisory lock key of the write path ("CMJW").</summary>
    private const long WriteLockKey = 0x434D_4A57;

    /// <summary>Advisory lock key of schema creation ("CMJS").</summary>
    private const long SchemaLockKey = 0x434D_4A53;

    private const string Columns = "deleted, persistence_id, sequence_number, created, manifest, identifier, payload, writer_uuid";

    private readonly NpgsqlDataSource _source;
    private readonly PostgresInsertMode _mode;

    public PostgresDialect(string connectionString, PostgresInsertMode mode)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Target = $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}";
        _source = NpgsqlDataSource.Create(builder);
        _mode = mode;
    }

    public override string Target { get; }

    public override string Name => "PostgreSQL";

    public override bool SingleWriter => false;

    public override string TagsOfRowExpression => "(SELECT string_agg(tag, chr(31)) FROM tags WHERE ordering_id = j.ordering)";

    public override IReadOnlyList<string> SchemaStatements { get; } = new[]
    {
        """
        CREATE TABLE IF NOT EXISTS journal (
          ordering BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          deleted BOOLEAN NOT NULL DEFAULT FALSE,
          persistence_id VARCHAR(255) NOT NULL,
          sequence_number BIGINT NOT NULL,
          created BIGINT NOT NULL,
          manifest VARCHAR(500) NOT NULL,
          identifier INTEGER NOT NULL,
          payload BYTEA NOT NULL,
          writer_uuid VARCHAR(128) NOT NULL,
          CONSTRAINT journal_uq UNIQUE (persistence_id, sequence_number))
        """,
        "CREATE TABLE IF NOT EXISTS tags (ordering_id BIGINT NOT NULL, tag VARCHAR(64) NOT NULL, persistence_id VARCHAR(255) NOT NULL, sequence_nr BIGINT NOT NULL, PRIMARY KEY (ordering_id, tag))",
        "CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag, ordering_id)",
        "CREATE INDEX IF NOT EXISTS tags_pid_idx ON tags (persistence_id, sequence_nr)",
        "CREATE TABLE IF NOT EXISTS journal_metadata (persistence_id VARCHAR(255) PRIMARY KEY, sequence_number BIGINT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS snapshot (
          persistence_id VARCHAR(255) NOT NULL,
          sequence_number BIGINT NOT NULL,
          created BIGINT NOT NULL,
          snapshot BYTEA NOT NULL,
          manifest VARCHAR(500) NOT NULL,
          serializer_id INTEGER NOT NULL,
          PRIMARY KEY (persistence_id, sequence_number))
        """,
    };

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task WriteBatchAsync(IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({WriteLockKey})", connection, tx))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // After the write lock, so the fence's row locks are held only while this transaction really writes.
        await CheckFenceAsync(connection, tx, rows, cancellationToken).ConfigureAwait(false);
        if (_mode == PostgresInsertMode.Copy)
        {
            await CopyAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await InsertAsync(connection, tx, rows, cancellationToken).ConfigureAwait(false);
        }

        await InsertTagsAsync(connection, tx, rows, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsUniqueViolation(Exception error)
        => error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(Exception error)
        => error is NpgsqlException { IsTransient: true }
            || error is NpgsqlException { InnerException: IOException or SocketException or TimeoutException }
            || error is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" or "40001" or "40P01" };

    public override bool IsConnectFailure(Exception error)
        => error is NpgsqlException and not PostgresException
            || error is PostgresException { SqlState: "3D000" or "28P01" or "28000" or "57P03" };

    public override async ValueTask DisposeAsync() => await _source.DisposeAsync().ConfigureAwait(false);

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY journal ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.PersistenceId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.SequenceNr, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Created, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Manifest, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.SerializerId, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Payload, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.WriterUuid, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        const string Sql = $"INSERT INTO journal ({Columns}) SELECT false, * FROM unnest(@p::varchar[], @s::bigint[], @c::bigint[], @m::varchar[], @i::int[], @b::bytea[], @w::varchar[])";
        await using var command = new NpgsqlCommand(Sql, connection, tx);
        command.Parameters.AddWithValue("p", rows.Select(r => r.PersistenceId).ToArray());
        command.Parameters.AddWithValue("s", rows.Select(r => r.SequenceNr).ToArray());
        command.Parameters.AddWithValue("c", rows.Select(r => r.Created).ToArray());
        command.Parameters.AddWithValue("m", rows.Select(r => r.Manifest).ToArray());
        command.Parameters.AddWithValue("i", rows.Select(r => r.SerializerId).ToArray());
        command.Parameters.AddWithValue("b", rows.Select(r => r.Payload).ToArray());
        command.Parameters.AddWithValue("w", rows.Select(r => r.WriterUuid).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task InsertTagsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<SerializedEvent> rows, CancellationToken cancellationToken)
    {
        var pids = new List<string>();
        var seqs = new List<long>();
        var tags = new List<string>();
        foreach (var row in rows)
        {
            foreach (var tag in row.Tags)
            {
                pids.Add(row.PersistenceId);
                seqs.Add(row.SequenceNr);
                tags.Add(tag);
            }
        }

        if (tags.Count == 0)
        {
            return;
        }

        const string Sql = "INSERT INTO tags (ordering_id, tag, persistence_id, sequence_nr) SELECT j.ordering, t.tag, t.pid, t.seq FROM unnest(@p::varchar[], @s::bigint[], @t::varchar[]) AS t(pid, seq, tag) JOIN journal j ON j.persistence_id = t.pid AND j.sequence_number = t.seq";
        await using var command = new NpgsqlCommand(Sql, connection, tx);
        command.Parameters.AddWithValue("p", pids.ToArray());
        command.Parameters.AddWithValue("s", seqs.ToArray());
        command.Parameters.AddWithValue("t", tags.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
