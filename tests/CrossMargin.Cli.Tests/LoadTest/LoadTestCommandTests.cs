using CrossMargin.Engine.LoadTest;

namespace CrossMargin.Cli.Tests.LoadTest;

/// <summary>
/// <c>crossmargin loadtest</c> run in-process through the real command tree and the real engine, on virtual time
/// (<see cref="ServiceTimeClock"/>): structure and consistency of what it writes, never timing.
/// </summary>
public sealed class LoadTestCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_fixed_rate_run_should_write_a_consistent_report_json_with_every_documented_field_and_an_html_page()
    {
        var folder = _cli.PathOf("report");

        var result = await _cli.RunAsync(LoadTestRuns.Services(new ServiceTimeClock(LoadTestRuns.FastService)), "loadtest", "--accounts", "1000",
            "--instruments", "2", "--tick-rate", "50", "--duration", "2s", "--drop", "0.15", "--journal", "inmem", "--report", folder);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        var report = LoadTestRuns.ReadWithAllFields(Path.Combine(folder, "report.json"));
        LoadTestRuns.AssertConsistent(report);
        Assert.False(report.Partial);
        Assert.Equal(0, report.BacklogAtStop);
        Assert.Equal(100, report.Ticks); // 50 ticks/s for 2 s, every one processed
        Assert.Equal(1000, report.Accounts);
        Assert.Equal(2, report.Instruments.Count);
        Assert.Equal(50, report.TickRate);
        Assert.Equal(2.0, report.DurationSeconds);
        Assert.False(report.StepUp);
        Assert.Null(report.SaturationRate);
        Assert.Equal(50, Assert.Single(report.Steps).OfferedRate);
        Assert.Equal([0L, 1L], report.LatencyOverTime.Select(p => p.Second));
        Assert.True(report.MarginCalls + report.Liquidations > 0, "the falling prices should put accounts at risk during the run");
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(Path.Combine(folder, "report.html")), result.Out, StringComparison.Ordinal);
        foreach (var figure in new[] { "ticks/s", "p99", "liquidations" })
        {
            Assert.Contains(figure, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Step_up_should_stop_at_the_first_failing_step_and_report_the_last_passing_rate_as_saturation()
    {
        // 7.5 ms of virtual service time per clock read (about 15 ms per tick): 20 and 40 ticks/s are within reach,
        // 80 ticks/s is not, so the run must stop by itself long before --max-rate.
        var folder = _cli.PathOf("stepup");

        var result = await _cli.RunAsync(LoadTestRuns.Services(new ServiceTimeClock(7_500_000)), "loadtest", "--accounts", "1000", "--instruments", "2",
            "--tick-rate", "20", "--step-up", "--step-duration", "1s", "--step-factor", "2", "--max-rate", "100000", "--p99-bound", "100ms",
            "--journal", "inmem", "--report", folder);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        var report = LoadTestRuns.ReadWithAllFields(Path.Combine(folder, "report.json"));
        LoadTestRuns.AssertConsistent(report);
        Assert.True(report.StepUp);
        Assert.False(report.Partial);
        Assert.InRange(report.Steps.Count, 2, 5);
        Assert.Equal(report.Steps.Select((_, i) => 20L << i), report.Steps.Select(s => s.OfferedRate));
        Assert.False(report.Steps[^1].Passed);
        Assert.All(report.Steps.SkipLast(1), s => Assert.True(s.Passed));
        Assert.Equal(report.Steps.Count > 1 ? report.Steps[^2].OfferedRate : null, report.SaturationRate);
        Assert.False(string.IsNullOrWhiteSpace(report.SaturationReason));
        Assert.Contains($"{report.Steps[^1].OfferedRate:#,0} ticks/s", report.SaturationReason, StringComparison.Ordinal);
        Assert.Contains("saturation", result.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Spread_and_inline_cascades_should_both_liquidate_and_say_how_their_rounds_ran()
    {
        var reports = new Dictionary<string, LoadTestReport>();
        foreach (var mode in new[] { "spread", "inline" })
        {
            var folder = _cli.PathOf(mode);
            var result = await _cli.RunAsync(LoadTestRuns.Services(new ServiceTimeClock(LoadTestRuns.FastService)), "loadtest", "--accounts", "1500",
                "--instruments", "2", "--tick-rate", "50", "--duration", "3s", "--drop", "0.3", "--cascade", mode, "--round-actions", "2",
                "--journal", "inmem", "--report", folder);
            Assert.True(result.ExitCode == 0, $"{mode}: exit {result.ExitCode}: {result.Error}");
            reports[mode] = LoadTestRuns.ReadWithAllFields(Path.Combine(folder, "report.json"));
            LoadTestRuns.AssertConsistent(reports[mode]);
            Assert.Contains($"cascade {mode}", result.Out, StringComparison.Ordinal);
        }

        var spread = reports["spread"];
        var inline = reports["inline"];
        Assert.Equal(("spread", 2), (spread.Cascade, spread.RoundActions));
        Assert.Equal(("inline", (int?)null), (inline.Cascade, inline.RoundActions));
        Assert.True(spread.Liquidations + spread.CascadeDrainLiquidations > 0 && inline.Liquidations > 0, "both runs liquidate");
        Assert.True(spread.Rounds > 0 && inline.Rounds > 0, "both run rounds");
        Assert.True(spread.MarginCallToLiquidationFilled.Count > 0, "spread fills are timed from their margin call");

        // Inline rounds run to quiet on their tick: nothing is ever left queued, and no drain follows the window.
        Assert.Equal(0, inline.CascadeDrainRounds);
    }

    [Fact]
    public async Task A_cancelled_run_should_stop_injecting_write_its_report_marked_partial_and_exit_130()
    {
        // Ctrl-C reaches the command as its cancellation token: the clock cancels it half a second into a one-hour run.
        using var ctrlC = new CancellationTokenSource();
        var clock = new ServiceTimeClock(LoadTestRuns.FastService) { CancelSource = ctrlC, CancelAtNanos = 500_000_000 };
        var folder = _cli.PathOf("partial");

        var result = await _cli.RunAsync(LoadTestRuns.Services(clock), ctrlC.Token, "loadtest", "--accounts", "2000", "--instruments", "2",
            "--tick-rate", "100", "--duration", "1h", "--journal", "inmem", "--report", folder);

        Assert.Equal(130, result.ExitCode);
        var report = LoadTestRuns.ReadWithAllFields(Path.Combine(folder, "report.json"));
        LoadTestRuns.AssertConsistent(report);
        Assert.True(report.Partial);
        Assert.InRange(report.Ticks, 1, 100); // about 50 of the 360,000 planned
        Assert.Equal(3600.0, report.DurationSeconds);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));
    }

    [Fact]
    public async Task A_sqlite_journal_should_be_timed_and_a_second_run_into_it_refused_with_exit_2()
    {
        var journal = "sqlite:" + _cli.PathOf("lt.db");
        var services = LoadTestRuns.Services(new ServiceTimeClock(LoadTestRuns.FastService));

        var first = await _cli.RunAsync(services, "loadtest", "--accounts", "500", "--instruments", "2", "--tick-rate", "20", "--duration", "1s",
            "--journal", journal, "--report", _cli.PathOf("r1"));
        var second = await _cli.RunAsync(services, "loadtest", "--accounts", "500", "--instruments", "2", "--tick-rate", "20", "--duration", "1s",
            "--journal", journal, "--report", _cli.PathOf("r2"));

        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}: {first.Error}");
        var report = LoadTestRuns.ReadWithAllFields(_cli.PathOf("r1", "report.json"));
        LoadTestRuns.AssertConsistent(report);
        Assert.StartsWith("sqlite:", report.Journal, StringComparison.Ordinal);
        Assert.True(report.JournalWrite.Count >= 1, "the drain writes the window's last batch, which is timed");
        Assert.Equal(report.JournalWrite.Count, report.JournalLag.Count);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("already holds events", second.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("r2", "report.json")));
    }

    [Fact]
    public async Task Loadtest_help_should_list_every_option_and_the_compare_subcommand()
    {
        var result = await CliHarness.RunRawAsync(LoadTestRuns.MustNotRun(), ["loadtest", "--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--accounts", "--instruments", "--tick-rate", "--duration", "--step-up", "--step-duration", "--step-factor",
                     "--max-rate", "--p99-bound", "--backlog-bound", "--drop", "--seed", "--journal", "--report", "compare" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }
    }
}
