using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>
/// Replay of actor-engine journals, whose accounts snapshot every <c>crossmargin.persistence.snapshot-interval</c>
/// events: rebuilt from snapshots + later events, the state must hash as the full re-fold does.
/// </summary>
public sealed class ReplayFromSnapshotsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cm-snap-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(JournalTarget Journal, SimulationReport Report)> RunActorsAsync(string name, int snapshotInterval, int accounts = 60)
    {
        var target = new JournalTarget(JournalKind.Sqlite, Path.Combine(_dir, name + ".db"));
        var request = new SimulationRequest
        {
            Scenario = SimulationFixtures.ScenarioFile("crash"),
            Accounts = accounts,
            Seed = 3,
            Journal = target,
            RunId = name,
            Engine = EngineKind.Actors,
            Overrides = [new ConfigOverride("crossmargin.persistence.snapshot-interval", snapshotInterval.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        var report = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(request, new Progress<SimulationProgress>(), CancellationToken.None);
        Assert.True(report.InvariantsHeld, string.Join("; ", report.Invariants.Where(i => !i.Passed).Select(i => i.Name + ": " + i.Evidence)));
        return (target, report);
    }

    private static Task<ReplayResult> ReplayAsync(JournalTarget journal, ReplayPoint? to = null, bool snapshots = true, string? run = null) =>
        new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal, To = to, UseSnapshots = snapshots, RunId = run }, new Progress<ReplayProgress>(), CancellationToken.None);

    private static List<(string Id, long Seq)> Snapshots(JournalTarget journal)
    {
        using var c = new SqliteConnection($"Data Source={journal.Location};Mode=ReadOnly");
        c.Open();
        using var command = new SqliteCommand("SELECT persistence_id, sequence_number FROM snapshot ORDER BY persistence_id, sequence_number", c);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }

    [Fact]
    public async Task Actor_run_should_snapshot_accounts_at_the_configured_snapshot_interval()
    {
        var (every5, _) = await RunActorsAsync("every5", 5, accounts: 25);
        var (never, _) = await RunActorsAsync("never", 0, accounts: 25);

        var taken = Snapshots(every5);
        Assert.NotEmpty(taken);
        Assert.All(taken, s => Assert.StartsWith("account-", s.Id, StringComparison.Ordinal));
        Assert.All(taken, s => Assert.Equal(0, s.Seq % 5));
        Assert.Empty(Snapshots(never));
        Assert.Equal(taken.Count, (await new JournalInspector().StatsAsync(every5, CancellationToken.None)).Snapshots);
        Assert.Equal(0, (await new JournalInspector().StatsAsync(never, CancellationToken.None)).Snapshots);
    }

    [Fact]
    public async Task Replay_should_start_accounts_from_their_latest_snapshot_and_reach_the_hash_of_the_full_refold()
    {
        var (journal, _) = await RunActorsAsync("full", 5);

        var fromSnapshots = await ReplayAsync(journal);
        var full = await ReplayAsync(journal, snapshots: false);

        Assert.True(fromSnapshots.SnapshotsUsed > 0, "the journal holds account snapshots; replay should use them");
        Assert.Equal(0, full.SnapshotsUsed);
        Assert.True(fromSnapshots.EventsReplayed < full.EventsReplayed, $"{fromSnapshots.EventsReplayed} events folded after snapshots, {full.EventsReplayed} in full");
        Assert.Equal(full.StateHash, fromSnapshots.StateHash);
        Assert.True(fromSnapshots.HashMatches, $"replayed {fromSnapshots.StateHash}, recorded {fromSnapshots.RecordedHash}");
        Assert.Equal(full.State.LastOrdering, fromSnapshots.State.LastOrdering);
        Assert.Equal(full.State.InsuranceFund, fromSnapshots.State.InsuranceFund);
        Assert.Equal(full.State.Instruments, fromSnapshots.State.Instruments);
    }

    [Fact]
    public async Task Replay_to_an_ordering_should_use_only_snapshots_at_or_below_it_and_equal_the_full_refold_there()
    {
        var (journal, report) = await RunActorsAsync("bounded", 5);
        foreach (var fraction in new[] { 0.3, 0.6, 0.9 })
        {
            var to = new ReplayPoint((long)(report.Events * fraction), null);
            var fromSnapshots = await ReplayAsync(journal, to);
            var full = await ReplayAsync(journal, to, snapshots: false);
            Assert.Equal(full.StateHash, fromSnapshots.StateHash);
            Assert.Equal(full.State.LastOrdering, fromSnapshots.State.LastOrdering);
            Assert.Null(fromSnapshots.HashMatches);
        }
    }

    [Fact]
    public async Task Replay_to_a_time_should_equal_the_full_refold_to_that_time()
    {
        var (journal, report) = await RunActorsAsync("timed", 5);
        var middle = report.SimulatedStart + ((report.SimulatedEnd - report.SimulatedStart) / 2);
        var fromSnapshots = await ReplayAsync(journal, new ReplayPoint(null, middle));
        var full = await ReplayAsync(journal, new ReplayPoint(null, middle), snapshots: false);
        Assert.Equal(full.StateHash, fromSnapshots.StateHash);
        Assert.Equal(full.State.SimulatedTime, fromSnapshots.State.SimulatedTime);
    }

    [Fact]
    public async Task Replay_with_run_should_accept_the_journals_run_and_refuse_another()
    {
        var (journal, _) = await RunActorsAsync("named", 5);
        var named = await ReplayAsync(journal, run: "named");
        Assert.True(named.HashMatches);

        var e = await Assert.ThrowsAsync<RunInputException>(() => ReplayAsync(journal, run: "crash-isolated"));
        Assert.Contains("--run crash-isolated", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds run 'named'", e.Message, StringComparison.Ordinal);
    }
}
