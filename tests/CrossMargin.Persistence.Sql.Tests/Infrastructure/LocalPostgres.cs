using CrossMargin.Persistence.Sql.Postgres;

namespace CrossMargin.Persistence.Sql.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of a test run: the one named by CROSSMARGIN_TEST_POSTGRES, or a throw-away
/// <see cref="LocalPostgresServer"/> started from Debian's PostgreSQL 15 binaries on 127.0.0.1 at a free port.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string EnvironmentVariable = "CROSSMARGIN_TEST_POSTGRES";

    public const string HowToProvide =
        "Set " + EnvironmentVariable + " to an Npgsql connection string of a server where the user may create schemas and databases " +
        "(e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres\"), " +
        "or " + LocalPostgresServer.HowToProvide + " (the tests then start their own server).";

    private LocalPostgres(LocalPostgresServer server) => Server = server;

    /// <summary>The server (started here, or attached when the variable is set).</summary>
    public LocalPostgresServer Server { get; }

    /// <summary>A connection string of a superuser on the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString => Server.AdminConnectionString;

    /// <summary>True when this object started the server (and will stop it).</summary>
    public bool Owned => Server.Owned;

    public static async Task<LocalPostgres> StartAsync(bool durable = false)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        try
        {
            return new LocalPostgres(string.IsNullOrWhiteSpace(external)
                ? await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Durable = durable })
                : await LocalPostgresServer.AttachAsync(external, TimeSpan.FromSeconds(15)));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"No PostgreSQL server for the tests: {e.Message}. {HowToProvide}", e);
        }
    }

    /// <summary>Creates a schema and returns a connection string whose search path is it.</summary>
    public Task<string> CreateSchemaAsync(string name) => Server.CreateSchemaAsync(name);

    /// <summary>Creates a database and returns a connection string to it.</summary>
    public Task<string> CreateDatabaseAsync(string name) => Server.CreateDatabaseAsync(name);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
