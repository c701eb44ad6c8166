using CrossMargin.Engine.Reporting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// Which persistence ids of a SQL journal have snapshots (one query on the <c>snapshot</c> table), so replay loads
/// snapshots only where there are some and folds a journal without any in one pass. Read-only.
/// </summary>
internal static class SnapshotIndex
{
    /// <summary>The persistence ids with at least one snapshot, ordinal order; empty for in-memory targets.</summary>
    public static async Task<IReadOnlyList<string>> PersistenceIdsAsync(JournalTarget target, CancellationToken cancellationToken)
    {
        var ids = await QueryAsync(target, "SELECT DISTINCT persistence_id FROM snapshot", cancellationToken).ConfigureAwait(false);
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>How many snapshots the store holds (every persistence id, every sequence number); 0 for in-memory targets.</summary>
    public static async Task<long> CountAsync(JournalTarget target, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(target, "SELECT CAST(count(*) AS VARCHAR(20)) FROM snapshot", cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : long.Parse(rows[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> QueryAsync(JournalTarget target, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ids = new List<string>();
        switch (target.Kind)
        {
            case JournalKind.Sqlite:
                var connection = target.Location.Contains('=', StringComparison.Ordinal)
                    ? target.Location
                    : new SqliteConnectionStringBuilder { DataSource = target.Location, Mode = SqliteOpenMode.ReadOnly }.ToString();
                await using (var c = new SqliteConnection(connection))
                {
                    await c.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using var command = new SqliteCommand(sql, c);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                break;
            case JournalKind.Postgres:
                await using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.Location) { Pooling = false }.ToString()))
                {
                    await c.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using var command = new NpgsqlCommand(sql, c);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                break;
        }

        return ids;
    }
}
