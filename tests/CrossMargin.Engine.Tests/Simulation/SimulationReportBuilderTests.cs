using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>The one report assembly both engines use.</summary>
public sealed class SimulationReportBuilderTests
{
    private static RunOutcome Outcome(RunMetrics m, DateTimeOffset? firstTick = null) => new(
        SimulationFixtures.Load("crash", 12, 1), new JournalTarget(JournalKind.Postgres, "Host=db;Password=secret"), m, Partial: false, firstTick,
        new DateTimeOffset(2025, 10, 10, 21, 15, 0, TimeSpan.Zero), InsuranceFund: 90m, Events: 1234, JournalHash: "ab", Invariants: [], [], []);

    [Fact]
    public void Report_should_carry_the_metrics_leave_out_the_market_maker_and_mask_the_journal_password()
    {
        var m = new RunMetrics { Ticks = 7, Liquidations = 3, LiquidationNotional = 1.5m, FundStart = 100m };
        m.Fund(DateTimeOffset.UnixEpoch, 95m);
        m.Fate(0, AccountFate.Bankrupt);
        m.Fate(9, AccountFate.Liquidated);
        m.Fate(2, AccountFate.MarginCalled);

        var report = SimulationReportBuilder.Build(Outcome(m));

        Assert.Equal(["2", "9"], report.AccountFates.Keys);
        Assert.Equal(new InsuranceFundSummary(100m, 90m, 90m), report.InsuranceFund);
        Assert.Equal(new CountAndNotional(3, 1.5m), report.Liquidations);
        Assert.Equal(12, report.Accounts);
        Assert.Equal(1234, report.Events);
        Assert.Equal("postgres:Host=db;Password=***", report.Journal);
        Assert.Equal(report.SimulatedStart, new DateTimeOffset(2025, 10, 10, 21, 0, 0, TimeSpan.Zero)); // no tick: the scenario's start
    }

    [Fact]
    public void Measurements_should_divide_the_events_by_the_wall_time()
    {
        var report = SimulationReportBuilder.WithMeasurements(SimulationReportBuilder.Build(Outcome(new RunMetrics())), TimeSpan.FromSeconds(2));

        Assert.Equal(617d, report.EventsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(2), report.WallTime);
        Assert.True(report.PeakMemoryBytes > 0);
    }
}
