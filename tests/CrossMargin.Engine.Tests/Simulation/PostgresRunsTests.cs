using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>
/// Runs on a real PostgreSQL server (started from Debian's binaries by <see cref="LocalPostgres"/>): sibling runs in one
/// database each get their own schema (<see cref="JournalTarget.WithRunSuffix"/>), replay reads each back, and readers
/// never create a schema.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRunsTests(PostgresFixture postgres)
{
    private async Task<string> DatabaseAsync() => await postgres.Server.CreateDatabaseAsync($"cm_{Guid.NewGuid():N}"[..20]);

    private static Task<SimulationReport> RunAsync(JournalTarget target, CrossMargin.Risk.Model.MarginMode mode, string runId, EngineKind engine = EngineKind.Direct) =>
        new SimulationRunner(ConfigurationFactory.Default()).RunAsync(new SimulationRequest
        {
            Scenario = SimulationFixtures.ScenarioFile("crash"),
            Accounts = 40,
            Seed = 5,
            MarginMode = mode == CrossMargin.Risk.Model.MarginMode.Isolated ? MarginMode.Isolated : MarginMode.Cross,
            Journal = target,
            RunId = runId,
            Engine = engine,
            Overrides = [new ConfigOverride("crossmargin.persistence.snapshot-interval", "5")],
        }, new Progress<SimulationProgress>(), CancellationToken.None);

    private static async Task<List<string>> SchemasAsync(string connection)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_schema FROM information_schema.tables WHERE table_name = 'journal' ORDER BY 1", c);
        await using var reader = await command.ExecuteReaderAsync();
        var schemas = new List<string>();
        while (await reader.ReadAsync())
        {
            schemas.Add(reader.GetString(0));
        }

        return schemas;
    }

    [Fact]
    public async Task Two_runs_with_run_suffixes_should_each_get_their_own_schema_in_one_database_and_replay()
    {
        var connection = await DatabaseAsync();
        var journal = new JournalTarget(JournalKind.Postgres, connection);

        var cross = await RunAsync(journal.WithRunSuffix("cross"), CrossMargin.Risk.Model.MarginMode.Cross, "crash-cross");
        var isolated = await RunAsync(journal.WithRunSuffix("isolated"), CrossMargin.Risk.Model.MarginMode.Isolated, "crash-isolated");

        Assert.True(cross.InvariantsHeld);
        Assert.True(isolated.InvariantsHeld);
        Assert.Equal(["crossmargin_cross", "crossmargin_isolated"], await SchemasAsync(connection));
        foreach (var (suffix, run) in new[] { ("cross", "crash-cross"), ("isolated", "crash-isolated") })
        {
            var replay = await new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal.WithRunSuffix(suffix), RunId = run }, new Progress<ReplayProgress>(), CancellationToken.None);
            Assert.True(replay.HashMatches, $"{suffix}: replayed {replay.StateHash}, recorded {replay.RecordedHash}");
        }
    }

    [Fact]
    public async Task A_second_run_into_the_same_schema_should_be_refused_and_leave_the_first_untouched()
    {
        var journal = new JournalTarget(JournalKind.Postgres, await DatabaseAsync()).WithRunSuffix("cross");
        await RunAsync(journal, CrossMargin.Risk.Model.MarginMode.Cross, "first");
        var before = await new JournalInspector().StatsAsync(journal, CancellationToken.None);

        var e = await Assert.ThrowsAsync<RunInputException>(() => RunAsync(journal, CrossMargin.Risk.Model.MarginMode.Cross, "second"));

        Assert.Contains("already holds events", e.Message, StringComparison.Ordinal);
        var after = await new JournalInspector().StatsAsync(journal, CancellationToken.None);
        Assert.Equal(before.Events, after.Events);
    }

    [Fact]
    public async Task Replay_of_an_absent_schema_should_be_refused_without_creating_it()
    {
        var connection = await DatabaseAsync();
        var journal = new JournalTarget(JournalKind.Postgres, connection).WithRunSuffix("never");

        var e = await Assert.ThrowsAsync<RunInputException>(() => new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal }, new Progress<ReplayProgress>(), CancellationToken.None));

        Assert.Contains("no schema \"crossmargin_never\"", e.Message, StringComparison.Ordinal);
        Assert.Empty(await SchemasAsync(connection));
    }

    [Fact]
    public async Task Replay_of_an_actor_run_on_postgres_should_start_from_snapshots_and_match_the_recorded_hash()
    {
        var journal = new JournalTarget(JournalKind.Postgres, await DatabaseAsync()).WithRunSuffix("actors");
        var report = await RunAsync(journal, CrossMargin.Risk.Model.MarginMode.Cross, "actors", EngineKind.Actors);
        Assert.True(report.InvariantsHeld);

        var fromSnapshots = await new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal }, new Progress<ReplayProgress>(), CancellationToken.None);
        var full = await new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal, UseSnapshots = false }, new Progress<ReplayProgress>(), CancellationToken.None);

        Assert.True(fromSnapshots.SnapshotsUsed > 0);
        Assert.Equal(full.StateHash, fromSnapshots.StateHash);
        Assert.True(fromSnapshots.HashMatches);
    }
}
