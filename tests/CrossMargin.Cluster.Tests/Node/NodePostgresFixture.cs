using CrossMargin.Persistence.Sql.Postgres;

namespace CrossMargin.Cluster.Tests.Node;

/// <summary>
/// One PostgreSQL server for the node tests (the one named by CROSSMARGIN_TEST_POSTGRES, or a throw-away server from
/// Debian's binaries); every test gets its own database, so cluster tables and journals never mix.
/// </summary>
public sealed class NodePostgresFixture : IAsyncLifetime
{
    private LocalPostgresServer? _server;

    public LocalPostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture is not started");

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("CROSSMARGIN_TEST_POSTGRES");
        _server = string.IsNullOrWhiteSpace(external)
            ? await LocalPostgresServer.StartAsync()
            : await LocalPostgresServer.AttachAsync(external, TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh database; returns its connection string.</summary>
    public Task<string> NewDatabaseAsync() => Server.CreateDatabaseAsync($"node_{Guid.NewGuid():N}");
}

[CollectionDefinition(Name)]
public sealed class NodePostgresCollection : ICollectionFixture<NodePostgresFixture>
{
    public const string Name = "node-postgres";
}
