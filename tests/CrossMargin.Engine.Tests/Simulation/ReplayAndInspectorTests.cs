using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class ReplayAndInspectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cm-engine-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(JournalTarget Journal, SimulationReport Report)> RunAsync()
    {
        var target = new JournalTarget(JournalKind.Sqlite, Path.Combine(_dir, "run.db"));
        var report = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(SimulationFixtures.Load("crash", 60, 3), target, "t", null, CancellationToken.None);
        return (target, report);
    }

    [Fact]
    public async Task Replay_should_rebuild_the_state_whose_hash_the_run_recorded()
    {
        var (journal, report) = await RunAsync();
        Assert.True(report.InvariantsHeld);
        var result = await new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal }, new Progress<ReplayProgress>(), CancellationToken.None);
        Assert.True(result.HashMatches, $"replayed {result.StateHash}, recorded {result.RecordedHash}");
        Assert.Equal(report.Events, result.EventsReplayed);
        Assert.All(result.State.Instruments, i => Assert.Equal(i.LongOpenInterest, i.ShortOpenInterest));
    }

    [Fact]
    public async Task Replay_should_rebuild_the_fates_the_run_reported()
    {
        var (journal, report) = await RunAsync();
        Assert.Contains(report.AccountFates.Values, f => f >= AccountFate.Liquidated);
        var runner = new ReplayRunner();
        var result = await runner.ReplayAsync(new ReplayRequest { Journal = journal }, new Progress<ReplayProgress>(), CancellationToken.None);
        var reported = report.AccountFates.Where(kv => kv.Value != AccountFate.Healthy).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(reported, runner.LastFates);
        Assert.All(result.State.Accounts, a => Assert.Equal(report.FateOf(a.AccountId), a.Fate));
    }

    [Fact]
    public async Task Replay_to_an_ordering_should_stop_there_and_compare_nothing()
    {
        var (journal, _) = await RunAsync();
        var result = await new ReplayRunner().ReplayAsync(new ReplayRequest { Journal = journal, To = new ReplayPoint(50, null) }, new Progress<ReplayProgress>(), CancellationToken.None);
        Assert.Equal(50, result.EventsReplayed);
        Assert.Null(result.HashMatches);
    }

    [Fact]
    public async Task Simulate_should_refuse_a_journal_that_already_holds_a_run()
    {
        var (journal, _) = await RunAsync();
        var e = await Assert.ThrowsAsync<RunInputException>(() =>
            new SimulationRunner(ConfigurationFactory.Default()).RunAsync(SimulationFixtures.Load("crash", 10, 3), journal, "t2", null, CancellationToken.None));
        Assert.Contains("already holds events", e.Message);
    }

    [Fact]
    public async Task Inspector_should_list_streams_show_an_account_and_refuse_an_unknown_one()
    {
        var (journal, report) = await RunAsync();
        var inspector = new JournalInspector();
        var streams = await inspector.ListAsync(journal, CancellationToken.None);
        Assert.Contains(streams, s => s.PersistenceId == "run" && s.Events == 2);
        Assert.Equal(report.Events, streams.Sum(s => s.Events));
        var shown = await inspector.ShowAsync(journal, "1", 1, 5, CancellationToken.None);
        Assert.Equal("Deposited", shown[0].EventType);
        await Assert.ThrowsAsync<RunInputException>(() => inspector.ShowAsync(journal, "999999", 1, 5, CancellationToken.None));
        var stats = await inspector.StatsAsync(journal, CancellationToken.None);
        Assert.Equal(report.Events, stats.Events);
    }
}
