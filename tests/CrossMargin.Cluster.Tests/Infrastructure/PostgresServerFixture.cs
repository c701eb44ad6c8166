using CrossMargin.Persistence.Sql.Postgres;

namespace CrossMargin.Cluster.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server per test class (<c>IClassFixture</c>): the one named by CROSSMARGIN_TEST_POSTGRES, or a
/// throw-away server from Debian's PostgreSQL 15 binaries. Every test takes a fresh database.
/// </summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "CROSSMARGIN_TEST_POSTGRES";

    private LocalPostgresServer? _server;

    public LocalPostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture is not started");

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        try
        {
            _server = string.IsNullOrWhiteSpace(external)
                ? await LocalPostgresServer.StartAsync()
                : await LocalPostgresServer.AttachAsync(external, TimeSpan.FromSeconds(15));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL server for the cluster tests: {e.Message}. Set {EnvironmentVariable} to an Npgsql connection string of a server where the user may create databases, or {LocalPostgresServer.HowToProvide}.",
                e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh database for one test; returns its connection string.</summary>
    public Task<string> NewDatabaseAsync(string prefix = "c") => Server.CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}");
}
