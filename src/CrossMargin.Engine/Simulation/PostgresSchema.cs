using CrossMargin.Engine.Reporting;
using Npgsql;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// The PostgreSQL schema a <c>postgres:</c> journal target names through its <c>Search Path</c>: runs kept apart in
/// one database each live in their own schema (the journal's tables are unqualified, so they land in the first schema
/// of the search path). Writers create the schema when absent; readers are refused when it is absent.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The first schema of <paramref name="target"/>'s search path, or null when it names none.</summary>
    public static string? Of(JournalTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Kind != JournalKind.Postgres)
        {
            return null;
        }

        var path = new NpgsqlConnectionStringBuilder(target.Location).SearchPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var first = path.Split(',')[0].Trim();
        return first.Length >= 2 && first[0] == '"' && first[^1] == '"' ? first[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : first;
    }

    /// <summary>Makes sure the schema of <paramref name="target"/> exists (creating it when <paramref name="create"/>); nothing to do without a search path.</summary>
    /// <exception cref="RunInputException">The schema is absent and <paramref name="create"/> is false, or it cannot be created.</exception>
    public static async Task EnsureAsync(JournalTarget target, bool create, CancellationToken cancellationToken)
    {
        string? schema;
        try
        {
            schema = Of(target);
        }
        catch (ArgumentException e)
        {
            throw new RunInputException($"journal {target}: not a valid Npgsql connection string: {e.Message}", e);
        }

        if (schema is null)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(target.Location) { SearchPath = null, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = @n", connection);
            exists.Parameters.AddWithValue("n", schema);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0)
            {
                return;
            }

            if (!create)
            {
                throw new RunInputException($"journal {target}: the database has no schema \"{schema}\" (the connection string's Search Path); nothing was recorded there");
            }

            await using var make = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await make.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new RunInputException($"journal {target}: cannot {(create ? "create" : "check")} schema \"{schema}\": {e.Message}", e);
        }
    }
}
