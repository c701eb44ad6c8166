using CrossMargin.Persistence.Sql.Postgres;
using Npgsql;

namespace CrossMargin.Cluster.Postgres;

/// <summary>
/// A local PostgreSQL for a laptop cluster (<c>crossmargin cluster up</c>): a durable server from Debian's binaries in a
/// folder that survives restarts (e.g. <c>./data/cluster/postgres</c>), with the cluster's database created if missing.
/// </summary>
/// <remarks>Dispose stops the server (fast shutdown) and keeps its data. Not thread-safe.</remarks>
public sealed class LocalClusterDatabase : IAsyncDisposable
{
    /// <summary>Database name used when none is given.</summary>
    public const string DefaultDatabase = "crossmargin";

    private LocalClusterDatabase(LocalPostgresServer server, string connectionString)
    {
        Server = server;
        ConnectionString = connectionString;
    }

    /// <summary>The running server (restart it with <see cref="LocalPostgresServer.RestartAsync"/>).</summary>
    public LocalPostgresServer Server { get; }

    /// <summary>Npgsql connection string of the cluster database: give it to every node as the cluster connection.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Starts (initialising on first use) the server in <paramref name="directory"/> on <paramref name="port"/>
    /// (0 = a free one) with durable settings, and creates <paramref name="database"/> when missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The binaries are missing or the server did not start; the message says why.</exception>
    public static async Task<LocalClusterDatabase> StartAsync(string directory, int port = 0, string database = DefaultDatabase, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { Directory = directory, Port = port, Durable = true }, cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await EnsureDatabaseAsync(server.AdminConnectionString, database, cancellationToken).ConfigureAwait(false);
            return new LocalClusterDatabase(server, connection);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="adminConnectionString"/> unless it exists; returns its connection string.</summary>
    public static async Task<string> EnsureDatabaseAsync(string adminConnectionString, string database, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adminConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        if (database.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException($"database name \"{database}\" must not contain a double quote", nameof(database));
        }

        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @d", connection);
            exists.Parameters.AddWithValue("d", database);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ToString();
    }

    /// <summary>Stops the server; its data stays in the folder.</summary>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
