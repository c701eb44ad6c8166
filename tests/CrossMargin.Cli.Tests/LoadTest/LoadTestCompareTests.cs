using CrossMargin.Engine.LoadTest;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Tests.LoadTest;

/// <summary><c>crossmargin loadtest compare A.json B.json</c>: ratios, regressions past the threshold, exit codes 0 / 1 / 2.</summary>
public sealed class LoadTestCompareTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static LatencySummary Latency(double p99) => new(1_000, p99 / 4, p99 / 2, p99, p99 * 1.5, p99 * 2, p99 / 3);

    private static LoadTestReport Report(double tickP99 = 10, double ticksPerSecond = 1_000, long? saturation = 2_000) => new()
    {
        Accounts = 2_000,
        Instruments = ["BTC-PERP", "ETH-PERP"],
        TickRate = 1_000,
        DurationSeconds = 10,
        Journal = "inmem",
        RunSeconds = 10,
        Ticks = 10_000,
        Events = 30_000,
        TicksPerSecond = ticksPerSecond,
        EventsPerSecond = 3 * ticksPerSecond,
        AccountUpdatesPerSecond = 2 * ticksPerSecond,
        TickToMarginDecision = Latency(tickP99),
        ActiveTickToMarginDecision = Latency(tickP99),
        MarginCallToLiquidationFilled = Latency(20),
        JournalWrite = Latency(5),
        JournalLag = Latency(50),
        Gc = new GcFigures(100, 1, 10, 2, 0, 1_000_000_000, 100_000_000, 50_000_000, 200_000_000),
        SaturationRate = saturation,
    };

    private string Write(string name, LoadTestReport report)
    {
        var path = _cli.PathOf(name);
        LoadTestComparison.Write(report, path);
        return path;
    }

    [Fact]
    public async Task Identical_reports_should_show_ratio_1_for_every_figure_and_exit_0()
    {
        var a = Write("a.json", Report());

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, a);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no regression beyond 10", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("REGRESSION", result.Out, StringComparison.Ordinal);
        foreach (var figure in LoadTestComparison.Figures(Report()).Select(f => f.Name))
        {
            Assert.Contains(figure, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("1.000", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_p99_that_grew_past_the_threshold_should_be_flagged_as_a_regression_with_exit_1()
    {
        var a = Write("a.json", Report(tickP99: 10));
        var b = Write("b.json", Report(tickP99: 12)); // +20% against the default 10% threshold

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, b);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("REGRESSION", result.Out, StringComparison.Ordinal);
        Assert.Contains("1.200", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"regression\(s\) beyond 10\s?%: .*tick p99 ms", result.Out);
        Assert.DoesNotContain("ticks/s,", result.Out, StringComparison.Ordinal); // throughput did not move: not flagged
    }

    [Fact]
    public async Task A_throughput_that_fell_past_the_threshold_should_be_flagged_as_a_regression_with_exit_1()
    {
        var a = Write("a.json", Report(ticksPerSecond: 1_000, saturation: 2_000));
        var b = Write("b.json", Report(ticksPerSecond: 800, saturation: 1_000));

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, b);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("saturation ticks/s", result.Out[result.Out.IndexOf("regression(s)", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("0.800", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_within_the_threshold_or_an_improvement_should_not_be_flagged()
    {
        var a = Write("a.json", Report(tickP99: 10, ticksPerSecond: 1_000));
        var within = Write("within.json", Report(tickP99: 10.5, ticksPerSecond: 950));
        var better = Write("better.json", Report(tickP99: 2, ticksPerSecond: 5_000));

        var small = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, within);
        var improved = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, better);
        var wide = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, Write("worse.json", Report(tickP99: 15)), "--threshold", "0.6");

        Assert.Equal(0, small.ExitCode);
        Assert.Equal(0, improved.ExitCode);
        Assert.Equal(0, wide.ExitCode);
    }

    [Fact]
    public async Task A_figure_that_is_zero_in_the_baseline_should_have_no_ratio_and_never_be_flagged()
    {
        var a = Write("a.json", Report(saturation: null));
        var b = Write("b.json", Report(saturation: 5_000));

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, b);

        Assert.Equal(0, result.ExitCode);
        var line = result.Out.Split('\n').Single(l => l.Contains("saturation ticks/s", StringComparison.Ordinal));
        Assert.Contains(" - ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_should_exit_2_naming_it()
    {
        var a = Write("a.json", Report());
        var missing = _cli.PathOf("nope.json");

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_should_exit_2_naming_the_file_and_position()
    {
        var a = Write("a.json", Report());
        var broken = _cli.Write("broken.json", "{\n  \"schemaVersion\": 1,\n  \"kind\": \"loadtest\",\n  \"ticks\": twelve\n}\n");

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", a, broken);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(broken + ":4:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_simulation_report_should_be_refused_as_not_a_load_test_report_with_exit_2()
    {
        var a = Write("a.json", Report());
        var simulation = _cli.Write("sim.json", "{ \"schemaVersion\": 1, \"kind\": \"simulation\", \"tickToMarginDecision\": null }");

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", simulation, a);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(simulation, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_from_a_real_run_should_compare_equal_to_itself()
    {
        var folder = _cli.PathOf("run");
        var run = await _cli.RunAsync(LoadTestRuns.Services(new ServiceTimeClock(LoadTestRuns.FastService)), "loadtest", "--accounts", "300",
            "--instruments", "2", "--tick-rate", "20", "--duration", "1s", "--journal", "inmem", "--report", folder);
        var json = Path.Combine(folder, "report.json");

        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", json, json);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no regression", result.Out, StringComparison.Ordinal);
    }
}
