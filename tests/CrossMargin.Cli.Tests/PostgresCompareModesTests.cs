using CrossMargin.Cli.Services;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using Npgsql;

namespace CrossMargin.Cli.Tests;

/// <summary>
/// <c>simulate --compare-modes --journal postgres:…</c> on a real PostgreSQL server (started from Debian's binaries by
/// <see cref="LocalPostgres"/>): the cross and isolated runs each get their own schema of the one database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCompareModesTests(PostgresFixture postgres) : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Compare_modes_on_postgres_should_run_both_modes_each_in_its_own_schema_and_replay_each()
    {
        var connection = await postgres.Server.CreateDatabaseAsync($"cm_{Guid.NewGuid():N}"[..20]);
        var engine = EngineRegistration.Create();

        var result = await _cli.RunAsync(engine, "simulate", "--compare-modes", "--accounts", "30", "--seed", "9",
            "--journal", "postgres:" + connection, "--report", _cli.PathOf("compare"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("Search Path=crossmargin_cross", result.Out, StringComparison.Ordinal);
        Assert.Contains("Search Path=crossmargin_isolated", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.PathOf("compare", "comparison.json")));
        foreach (var mode in new[] { "cross", "isolated" })
        {
            var journal = new NpgsqlConnectionStringBuilder(connection) { SearchPath = "crossmargin_" + mode }.ConnectionString;
            var replay = await _cli.RunAsync(engine, "replay", "--journal", "postgres:" + journal, "--run", "crash-" + mode + "-seed9-n30");
            Assert.True(replay.ExitCode == 0, mode + ": " + replay.Error);
            Assert.Contains("matches the hash recorded when the run ended", replay.Out, StringComparison.Ordinal);
        }
    }
}
