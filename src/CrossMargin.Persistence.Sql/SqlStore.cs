using System.Data.Common;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Sql.Dialects;

namespace CrossMargin.Persistence.Sql;

/// <summary>Opening a database: dialect choice, clear connection errors, schema creation and version check.</summary>
internal static class SqlStore
{
    public static SqlDialect CreateDialect(SqlJournalOptions options)
    {
        SqlDialect dialect = options.Backend switch
        {
            SqlBackend.Sqlite => new SqliteDialect(options.ConnectionString),
            SqlBackend.Postgres => new PostgresDialect(options.ConnectionString, options.PostgresInsertMode),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Backend, "unknown SQL backend"),
        };
        dialect.Fence = options.Fence;
        return dialect;
    }

    /// <summary>Creates the tables if absent and checks the recorded schema version.</summary>
    /// <exception cref="PersistenceConnectionException">The database cannot be reached or opened.</exception>
    /// <exception cref="SchemaVersionException">The database was written by a newer schema.</exception>
    public static async Task InitializeAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.BeforeSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await dialect.LockSchemaAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, tx, "CREATE TABLE IF NOT EXISTS crossmargin_schema (component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
            var found = await ReadVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            if (found > SqlDialect.SchemaVersion)
            {
                throw new SchemaVersionException($"{dialect.Name} database {dialect.Target}", found, SqlDialect.SchemaVersion);
            }

            foreach (var statement in dialect.SchemaStatements)
            {
                await ExecAsync(connection, tx, statement, cancellationToken).ConfigureAwait(false);
            }

            if (found == 0)
            {
                await ExecAsync(connection, tx, $"INSERT INTO crossmargin_schema (component, version) VALUES ('journal', {SqlDialect.SchemaVersion})", cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SchemaVersionException && e is not OperationCanceledException && dialect.IsConnectFailure(e))
        {
            throw new PersistenceConnectionException(dialect.Target, $"cannot open the {dialect.Name} journal at {dialect.Target}: {e.Message}", e);
        }
    }

    public static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT version FROM crossmargin_schema WHERE component = 'journal'";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
