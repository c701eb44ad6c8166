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

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await OptionsAsync().ContinueWith(t => t.Result.ConnectionString, TaskScheduler.Default));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
