using CrossMargin.Engine.LoadTest;
using CrossMargin.Engine.Reporting;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

/// <summary>A tiny real-time run end to end (about one second of injection; no assertion on timing).</summary>
public sealed class LoadTestRunnerTests
{
    [Fact]
    public async Task A_small_run_should_process_every_scheduled_tick_and_report_it()
    {
        var runner = new LoadTestRunner(ConfigurationFactory.Default());
        var settings = new LoadTestSettings { Accounts = 60, Instruments = 7, TickRate = 40, Duration = TimeSpan.FromSeconds(1), Drop = 0.5m, Journal = JournalTarget.InMemory };
        var report = await runner.RunAsync(settings, null, CancellationToken.None);
        Assert.False(report.Partial);
        Assert.Equal(40, report.Ticks);
        Assert.Equal(40, report.TickToMarginDecision.Count);
        Assert.Equal(7, report.Instruments.Count);
        Assert.Contains("LT06-PERP", report.Instruments);
        Assert.True(report.Events >= 40, $"{report.Events} events for 40 ticks");
        Assert.NotEmpty(report.LatencyOverTime);
        Assert.NotEmpty(report.Histogram);
        Assert.Equal(report.Ticks, report.Histogram.Sum(b => b.Count));
        var html = LoadTestHtml.Render(report);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_should_still_return_a_report_marked_partial()
    {
        var runner = new LoadTestRunner(ConfigurationFactory.Default());
        using var cts = new CancellationTokenSource();
        var settings = new LoadTestSettings { Accounts = 20, Instruments = 2, TickRate = 50, Duration = TimeSpan.FromHours(1), Journal = JournalTarget.InMemory };
        var progress = new CancelOnFirstReport(cts);
        var report = await runner.RunAsync(settings, progress, cts.Token);
        Assert.True(report.Partial);
        Assert.True(report.Ticks < 180_000);
    }

    [Fact]
    public async Task A_run_cancelled_during_setup_should_skip_injection_and_return_a_partial_report()
    {
        var runner = new LoadTestRunner(ConfigurationFactory.Default(), loadClock: new VirtualLoadClock());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var settings = new LoadTestSettings { Accounts = 30, Instruments = 2, TickRate = 50, Duration = TimeSpan.FromSeconds(10), Journal = JournalTarget.InMemory };
        var report = await runner.RunAsync(settings, null, cts.Token);
        Assert.True(report.Partial);
        Assert.Equal(0, report.Ticks);
        Assert.True(report.JournalDrained);
    }

    [Fact]
    public async Task A_run_should_report_the_work_per_tick()
    {
        var runner = new LoadTestRunner(ConfigurationFactory.Default(), loadClock: new VirtualLoadClock());
        var settings = new LoadTestSettings { Accounts = 200, Instruments = 3, TickRate = 100, Duration = TimeSpan.FromSeconds(3), Drop = 0.5m, Journal = JournalTarget.InMemory };
        var report = await runner.RunAsync(settings, null, CancellationToken.None);
        Assert.Equal(300, report.Ticks);
        Assert.True(report.RemarginsPerTick > 0, "a 50% crash re-margins accounts");
        Assert.True(report.WokenPerTick > 0);
        Assert.True(report.AllocatedBytesPerTick > 0);
        Assert.True(report.JournalDrained);
        Assert.Contains("work per tick", LoadTestHtml.Render(report), StringComparison.Ordinal);

        // The window's journal by kind: every event counted once, one entry per tick, most numerous first.
        Assert.Equal(report.Events, report.EventsByKind.Sum(k => k.Count));
        Assert.Equal(300, report.EventsByKind.Single(k => k.Kind == "IndexTickReceived").Count);
        Assert.Contains(report.EventsByKind, k => k.Kind == "RiskStateChanged");
        Assert.Equal(report.EventsByKind.OrderByDescending(k => k.Count).Select(k => k.Count), report.EventsByKind.Select(k => k.Count));
        Assert.Contains("IndexTickReceived 300", LoadTestHtml.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_should_be_refused_with_the_option_named()
    {
        var runner = new LoadTestRunner(ConfigurationFactory.Default());
        var e = await Assert.ThrowsAsync<RunInputException>(() => runner.RunAsync(new LoadTestSettings { TickRate = 0 }, null, CancellationToken.None));
        Assert.Contains("--tick-rate: 0 is out of range; accepted 1..1,000,000", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Cancels on the first progress report (synchronous IProgress: reported on the driver's thread).</summary>
    private sealed class CancelOnFirstReport(CancellationTokenSource cts) : IProgress<LoadTestProgress>
    {
        public void Report(LoadTestProgress value) => cts.Cancel();
    }
}
