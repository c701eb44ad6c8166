using CrossMargin.Persistence.Sql.Tests.Common;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CrossMargin.Persistence.Sql.Tests.Sqlite;

public sealed class SqliteBackendTests : SqlBackendSpec, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlJournalOptions> OptionsAsync() => Task.FromResult(SqliteOptions.For(_dir));

    protected override SqlJournalOptions UnreachableOptions(out string expectedTarget)
    {
        expectedTarget = _dir.File(Path.Combine("missing-dir", "journal.db"));
        return new SqlJournalOptions(SqlBackend.Sqlite, expectedTarget);
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.File("journal.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Sqlite_journal_should_refuse_a_file_that_is_not_a_database_naming_the_file()
    {
        var path = _dir.File("not-a-db.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        var error = await Assert.ThrowsAsync<CrossMargin.Persistence.Journal.PersistenceConnectionException>(() => Sql.Journal.SqlJournal.OpenAsync(new SqlJournalOptions(SqlBackend.Sqlite, path), Persistence.Tests.Conformance.TestEvents.Serializer()));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
