using Npgsql;

namespace CrossMargin.Persistence.Sql.Tests.Infrastructure;

/// <summary>
/// Ends a database's client sessions as a PostgreSQL restart does (<c>pg_terminate_backend</c>: 57P01 on the next use
/// of each connection), on a database of the test's own so no other test is touched.
/// </summary>
internal static class PostgresSessions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Ends every client session of <paramref name="connectionString"/>'s database (there must be at least one) and
    /// waits until the server has closed them all, so the next use of any pooled connection meets a closed one.
    /// </summary>
    public static async Task TerminateAsync(PostgresFixture fixture, string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var admin = new NpgsqlConnection(fixture.Server.AdminConnectionString);
        await admin.OpenAsync();
        await using (var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @d AND pid <> pg_backend_pid() AND backend_type = 'client backend'", admin))
        {
            kill.Parameters.AddWithValue("d", database);
            Assert.True((long)(await kill.ExecuteScalarAsync())! > 0, $"no session of {database} was open to end");
        }

        // pg_terminate_backend only signals: poll until the sessions are gone (the server offers no event to wait on).
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @d AND backend_type = 'client backend'", admin);
            count.Parameters.AddWithValue("d", database);
            if ((long)(await count.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the sessions of {database} were still open {Patience.TotalSeconds:0}s after pg_terminate_backend");
            await Task.Delay(20);
        }
    }
}
