using CrossMargin.Cli.Services;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly FakeSimulationRunner _runner = new();

    public void Dispose() => _cli.Dispose();

    private EngineServices Services(ISimulationRunner? runner = null) => new() { Simulation = _ => runner ?? _runner };

    [Fact]
    public async Task Simulate_should_pass_the_options_to_the_engine()
    {
        var journal = _cli.PathOf("j.db");

        var result = await _cli.RunAsync(Services(), "simulate", "--scenario", "crash", "--accounts", "1_000", "--seed", "0x2A",
            "--journal", "sqlite:" + journal, "--margin-mode", "isolated", "--report", _cli.PathOf("r"), "--set", "crossmargin.engine.population.hedged-share=0.25");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(_runner.Requests);
        Assert.Equal("crash", request.Scenario);
        Assert.Equal(1000, request.Accounts);
        Assert.Equal(42UL, request.Seed);
        Assert.Equal(MarginMode.Isolated, request.MarginMode);
        Assert.Equal(new JournalTarget(JournalKind.Sqlite, journal), request.Journal);
        Assert.StartsWith("crash-isolated-seed42-n1000-set", request.RunId, StringComparison.Ordinal);
        Assert.Equal([new ConfigOverride("crossmargin.engine.population.hedged-share", "0.25")], request.Overrides);
    }

    [Fact]
    public async Task Simulate_with_no_options_should_run_the_crash_scenario_on_a_sqlite_journal_under_data()
    {
        var result = await _cli.RunAsync(Services(), "simulate", "--report", _cli.PathOf("r"));

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(_runner.Requests);
        Assert.Equal("crash", request.Scenario);
        Assert.Null(request.Accounts);
        Assert.Null(request.Seed);
        Assert.Equal(new JournalTarget(JournalKind.Sqlite, "./data/journals/crash-default.db"), request.Journal);
    }

    [Fact]
    public async Task Simulate_should_write_report_json_and_html_that_read_back_and_print_where_they_are()
    {
        var folder = _cli.PathOf("reports", "run1");

        var result = await _cli.RunAsync(Services(), "simulate", "--seed", "7", "--report", folder);

        Assert.Equal(0, result.ExitCode);
        var report = ReportJsonReader.Read(Path.Combine(folder, "report.json"));
        Assert.Equal(7UL, report.Seed);
        Assert.Equal(1_234.56m, report.BadDebt);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(Path.Combine(folder, "report.html")), result.Out, StringComparison.Ordinal);
        Assert.Contains("open it offline in any browser", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_should_print_progress_and_every_summary_figure()
    {
        var result = await _cli.RunAsync(Services(), "simulate", "--report", _cli.PathOf("r"));

        Assert.Contains("simulate crash-default: started", result.Out, StringComparison.Ordinal);
        Assert.Contains("liquidations 5 (250,000.50)", result.Out, StringComparison.Ordinal);
        foreach (var figure in new[] { "accounts", "ticks", "events", "margin calls", "liquidations", "cascade rounds", "deepest 2",
                     "insurance fund", "start 1,000,000.00 / min 990,000.00 / end 995,000.00", "bad debt", "1,234.56", "ADL", "socialized loss",
                     "events/s", "wall time", "1.500 s", "peak memory", "200.0 MiB", "journal hash", "abc123" })
        {
            Assert.Contains(figure, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_violated_invariant_should_print_its_evidence_and_exit_1()
    {
        var runner = new FakeSimulationRunner { Behaviour = (r, _) => Task.FromResult(Reports.For(r, invariantsHold: false)) };

        var result = await _cli.RunAsync(Services(runner), "simulate", "--report", _cli.PathOf("r"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invariant violated: money-conservation: in 1,000,000.00 != out 999,999.00 (account acct-7)", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.PathOf("r", "report.html")), "the report is written even when an invariant fails");
    }

    [Fact]
    public async Task An_engine_refusal_should_exit_2_with_its_message()
    {
        var runner = new FakeSimulationRunner { Behaviour = (_, _) => throw new RunInputException("hocon/scenarios/crash.conf:12:5: population.count must be positive") };

        var result = await _cli.RunAsync(Services(runner), "simulate", "--report", _cli.PathOf("r"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("simulate: hocon/scenarios/crash.conf:12:5: population.count must be positive", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_crash_should_exit_3_and_be_logged()
    {
        var runner = new FakeSimulationRunner { Behaviour = (_, _) => throw new InvalidOperationException("boom") };

        var result = await _cli.RunAsync(Services(runner), "simulate", "--report", _cli.PathOf("r"));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("simulate: engine failure: InvalidOperationException: boom", result.Error, StringComparison.Ordinal);
        Assert.Contains("simulate failed", result.ConsoleLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_modes_should_run_cross_and_isolated_and_write_the_comparison()
    {
        var journal = _cli.PathOf("j.db");

        var result = await _cli.RunAsync(Services(), "simulate", "--compare-modes", "--seed", "3", "--journal", "sqlite:" + journal, "--report", _cli.PathOf("cmp"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([MarginMode.Cross, MarginMode.Isolated], _runner.Requests.Select(r => r.MarginMode!.Value));
        Assert.Equal(["sqlite:" + _cli.PathOf("j-cross.db"), "sqlite:" + _cli.PathOf("j-isolated.db")], _runner.Requests.Select(r => r.Journal.ToString()));
        var comparison = ReportJsonReader.ParseComparison(File.ReadAllText(_cli.PathOf("cmp", "comparison.json")));
        Assert.Equal(2, comparison.FateChanges.Count);
        Assert.True(File.Exists(_cli.PathOf("cmp", "comparison.html")));
        Assert.True(File.Exists(_cli.PathOf("cmp", "cross", "report.json")));
        Assert.True(File.Exists(_cli.PathOf("cmp", "isolated", "report.html")));
        Assert.Contains("accounts whose fate differs: 2", result.Out, StringComparison.Ordinal);
        Assert.Contains("acct-2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_modes_with_a_margin_mode_should_exit_2()
    {
        var result = await _cli.RunAsync(Services(), "simulate", "--compare-modes", "--margin-mode", "cross");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--compare-modes runs both cross and isolated margin; drop --margin-mode", result.Error, StringComparison.Ordinal);
        Assert.Empty(_runner.Requests);
    }

    [Fact]
    public async Task Ctrl_c_should_cancel_the_run_write_the_partial_report_and_exit_130()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new FakeSimulationRunner
        {
            Behaviour = async (request, ct) =>
            {
                var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using var registration = ct.Register(() => cancelled.SetResult());
                started.SetResult();
                await cancelled.Task;
                return Reports.For(request, partial: true);
            },
        };
        using var cts = new CancellationTokenSource();

        var run = _cli.RunAsync(Services(runner), cts.Token, "simulate", "--report", _cli.PathOf("r"));
        await started.Task;
        await cts.CancelAsync();
        var result = await run;

        Assert.Equal(130, result.ExitCode);
        Assert.True(ReportJsonReader.Read(_cli.PathOf("r", "report.json")).Partial);
        Assert.Contains("PARTIAL", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_folder_that_cannot_be_written_should_exit_2_naming_the_option()
    {
        var blocker = _cli.Write("not-a-folder", "a file where the report folder should go");

        var result = await _cli.RunAsync(Services(), "simulate", "--report", Path.Combine(blocker, "r"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--report: cannot write the report into", result.Error, StringComparison.Ordinal);
    }
}
