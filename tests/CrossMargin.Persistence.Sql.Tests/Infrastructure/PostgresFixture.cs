namespace CrossMargin.Persistence.Sql.Tests.Infrastructure;

/// <summary>One PostgreSQL server for the whole test run; every test gets its own schema.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgres? _server;

    public LocalPostgres Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture is not started");

    public async Task InitializeAsync() => _server = await LocalPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh schema for one test; returns its connection string.</summary>
    public Task<string> NewSchemaAsync() => Server.CreateSchemaAsync($"t_{Guid.NewGuid():N}");
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
