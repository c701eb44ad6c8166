using CrossMargin.Cli.Services;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Tests;

public sealed class OtherCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Replay_should_print_the_state_and_exit_0_when_the_hash_matches()
    {
        var replay = new FakeReplayRunner("abc123", "ABC123");

        var result = await _cli.RunAsync(new EngineServices { Replay = _ => replay }, "replay", "--journal", "sqlite:x.db");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("state hash abc123 matches the hash recorded when the run ended", result.Out, StringComparison.Ordinal);
        Assert.Contains("BTC-PERP", result.Out, StringComparison.Ordinal);
        Assert.Contains("95.00%", result.Out, StringComparison.Ordinal);
        Assert.Equal(new JournalTarget(JournalKind.Sqlite, "x.db"), replay.Request!.Journal);
    }

    [Fact]
    public async Task Replay_should_exit_1_when_the_rebuilt_state_differs_from_the_recorded_hash()
    {
        var result = await _cli.RunAsync(new EngineServices { Replay = _ => new FakeReplayRunner("abc123", "def456") }, "replay", "--journal", "inmem");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("state hash abc123 differs from the recorded def456", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_to_a_point_should_pass_the_bound_and_not_compare_hashes()
    {
        var replay = new FakeReplayRunner("abc123", null);

        var result = await _cli.RunAsync(new EngineServices { Replay = _ => replay }, "replay", "--journal", "inmem", "--to", "2025-10-10T21:05:00Z");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new DateTimeOffset(2025, 10, 10, 21, 5, 0, TimeSpan.Zero), replay.Request!.To!.Time);
        Assert.Contains("no comparison", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_if_should_pass_the_overrides_into_a_fresh_journal_and_write_the_comparison()
    {
        var whatIf = new FakeWhatIfRunner();
        var source = _cli.PathOf("crash.db");

        var result = await _cli.RunAsync(new EngineServices { WhatIf = _ => whatIf }, "what-if", "--journal", "sqlite:" + source,
            "--set", "crossmargin.risk.liquidation-fee-rate=0.005", "--set", "crossmargin.engine.impact.y = 1.0", "--report", _cli.PathOf("wi"));

        Assert.Equal(0, result.ExitCode);
        var request = whatIf.Request!;
        Assert.Equal([new ConfigOverride("crossmargin.risk.liquidation-fee-rate", "0.005"), new ConfigOverride("crossmargin.engine.impact.y", "1.0")], request.Overrides);
        Assert.StartsWith("sqlite:" + _cli.PathOf("crash-whatif-"), request.TargetJournal.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(request.SourceJournal, request.TargetJournal);
        Assert.True(File.Exists(_cli.PathOf("wi", "comparison.html")));
        Assert.True(File.Exists(_cli.PathOf("wi", "recorded", "report.json")));
        Assert.True(File.Exists(_cli.PathOf("wi", "what-if", "report.json")));
        Assert.Contains("recorded vs what-if", result.Out, StringComparison.Ordinal);
        Assert.Contains("accounts whose fate differs: 2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_if_into_its_own_source_should_exit_2()
    {
        var result = await _cli.RunAsync(new EngineServices { WhatIf = _ => new FakeWhatIfRunner() }, "what-if", "--journal", "inmem", "--set", "a.b=1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs a fresh journal", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_list_show_tail_and_stats_should_print_what_the_inspector_returns()
    {
        var services = new EngineServices { Journal = _ => new FakeJournalInspector() };

        var list = await _cli.RunAsync(services, "journal", "list", "--journal", "inmem");
        var show = await _cli.RunAsync(services, "journal", "show", "acct-1", "--journal", "inmem", "--from", "2");
        var tail = await _cli.RunAsync(services, "journal", "tail", "--journal", "inmem", "-n", "1");
        var stats = await _cli.RunAsync(services, "journal", "stats", "--journal", "inmem");

        Assert.All([list, show, tail, stats], r => Assert.Equal(0, r.ExitCode));
        Assert.Contains("feed-BTC-PERP", list.Out, StringComparison.Ordinal);
        Assert.Contains("account-acct-1#2 PositionOpened BTC-PERP +0.5 @ 100,000", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Deposited", show.Out, StringComparison.Ordinal);
        Assert.Contains("TickReceived", tail.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("PositionOpened", tail.Out, StringComparison.Ordinal);
        Assert.Contains("PositionOpened", stats.Out, StringComparison.Ordinal);
        Assert.Contains("persistence ids", stats.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_show_of_an_unknown_account_should_exit_2()
    {
        var result = await _cli.RunAsync(new EngineServices { Journal = _ => new FakeJournalInspector() }, "journal", "show", "nobody", "--journal", "inmem");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no account 'nobody'", result.Error, StringComparison.Ordinal);
    }
}
