using System.Net;
using System.Net.Sockets;
using CrossMargin.Persistence.Sql.Tests.Common;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using Npgsql;

namespace CrossMargin.Persistence.Sql.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresBackendTests(PostgresFixture fixture) : SqlBackendSpec
{
    private string? _connectionString;

    protected override async Task<SqlJournalOptions> OptionsAsync()
        => PostgresOptions.For(_connectionString ??= await fixture.NewSchemaAsync());

    protected override SqlJournalOptions UnreachableOptions(out string expectedTarget)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        expectedTarget = $"127.0.0.1:{port}/crossmargin";
        return new SqlJournalOptions(SqlBackend.Postgres, $"Host=127.0.0.1;Port={port};Database=crossmargin;Username=postgres;Timeout=3");
    }

    [Fact]
    public async Task Postgres_journal_should_retry_after_its_connections_are_killed_without_losing_or_doubling_events()
    {
        // A database of its own, so killing its connections touches no other test.
        var options = PostgresOptions.For(await fixture.Server.CreateDatabaseAsync($"kill_{Guid.NewGuid():N}")) with
        {
            GroupCommit = new Batching.GroupCommitOptions(MaxBatchRows: 1000, Parallelism: 2, MaxRetries: 20, MinBackoff: TimeSpan.FromMilliseconds(5), MaxBackoff: TimeSpan.FromMilliseconds(50)),
        };
        await using var journal = await Sql.Journal.SqlJournal.OpenAsync(options, Persistence.Tests.Conformance.TestEvents.Serializer());
        for (var round = 1; round <= 10; round++)
        {
            await KillConnectionsAsync(options.ConnectionString);
            var writes = Enumerable.Range(0, 20).Select(w => Persistence.Tests.Conformance.TestEvents.Event($"k-{w}", round)).ToArray();
            var results = await journal.WriteMessagesAsync(writes);
            Assert.All(results, r => Assert.True(r.IsSuccess, $"round {round}: {r.Error}"));
        }

        for (var w = 0; w < 20; w++)
        {
            var events = await Persistence.Tests.Conformance.TestEvents.ReplayAsync(journal, $"k-{w}");
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), events.Select(e => e.SequenceNr));
        }
    }

    private async Task KillConnectionsAsync(string connectionString)
    {
        await using var admin = new NpgsqlConnection(fixture.Server.AdminConnectionString);
        await admin.OpenAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @d AND pid <> pg_backend_pid() AND backend_type = 'client backend'", admin);
        kill.Parameters.AddWithValue("d", database!);
        await kill.ExecuteScalarAsync();
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await OptionsAsync().ContinueWith(t => t.Result.ConnectionString, TaskScheduler.Default));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
