using CrossMargin.Persistence.Batching;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Fencing;
using CrossMargin.Persistence.Sql.Journal;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Infrastructure;

public sealed record Noted(string Text);

/// <summary>A PostgreSQL journal with a fence, and direct reads of its rows.</summary>
public static class JournalKit
{
    public static EventSerializer Serializer() => new EventSerializer().Register<Noted>("noted", 1);

    public static Task<SqlJournal> OpenAsync(string connection, IWriteFence? fence)
        => SqlJournal.OpenAsync(
            new SqlJournalOptions(SqlBackend.Postgres, connection)
            {
                Fence = fence,
                GroupCommit = new GroupCommitOptions(MaxBatchRows: 1000, Parallelism: 2, MaxRetries: 3, MinBackoff: TimeSpan.FromMilliseconds(10), MaxBackoff: TimeSpan.FromMilliseconds(50)),
            },
            Serializer());

    public static AtomicWrite Event(string pid, long seq, string text = "x")
        => new(new PersistentRepr(pid, seq, new Noted(text), "actor-writer"));

    /// <summary>(persistence id, sequence number, writer) of every stored row, in ordering.</summary>
    public static async Task<List<(string Pid, long Seq, string Writer)>> RowsAsync(string connection)
    {
        var rows = new List<(string, long, string)>();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT persistence_id, sequence_number, writer_uuid FROM journal ORDER BY ordering", conn);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return rows;
    }
}
