using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

/// <summary>Deterministic reports for the reporting tests: every field set, values chosen to catch rounding.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset Start = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    public static SimulationReport Crash(MarginMode mode = MarginMode.Cross, string scenario = "crash") => new()
    {
        Scenario = scenario,
        MarginMode = mode,
        Seed = ulong.MaxValue,
        Journal = "sqlite:./data/journals/crash.db",
        SimulatedStart = Start,
        SimulatedEnd = Start.AddMinutes(10),
        Accounts = 1000,
        Ticks = 6000,
        Events = 123_456,
        MarginCalls = 321,
        Liquidations = new CountAndNotional(42, 1_234_567.890123456789m),
        CascadeRounds = 9,
        DeepestCascadeRound = 4,
        InsuranceFund = new InsuranceFundSummary(1_000_000m, 912_345.67m, 950_000.10m),
        BadDebt = 0.1m + 0.2m,
        Adl = new CountAndNotional(3, 45_000.5m),
        SocializedLoss = 0.000000000000000001m,
        EventsPerSecond = 98_765.4321,
        WallTime = TimeSpan.FromTicks(123_456_789),
        PeakMemoryBytes = 812L * 1024 * 1024,
        JournalHash = "00ff10ab",
        Invariants =
        [
            new InvariantResult("money-conservation", true, "in 1,000,000.00 = out 1,000,000.00"),
            new InvariantResult("open-interest", true, ""),
        ],
        Instruments =
        [
            new InstrumentSeries("BTC-PERP", Prices(100_000m, -0.5m), Prices(100_010m, -0.55m)),
            new InstrumentSeries("ETH-PERP", Prices(4_000m, -0.02m), Prices(4_001m, -0.021m)),
        ],
        LiquidationsPerSecond = [new TimePoint(Start.AddSeconds(30), 3m), new TimePoint(Start.AddSeconds(31), 7.5m)],
        InsuranceFundSeries = [new TimePoint(Start, 1_000_000m), new TimePoint(Start.AddSeconds(31), 912_345.67m), new TimePoint(Start.AddMinutes(10), 950_000.10m)],
        MarginRatioBefore = MarginRatioHistogram.Build([(10m, 100m), (50m, 100m), (90m, 100m)]),
        MarginRatioAfter = MarginRatioHistogram.Build([(10m, 100m), (120m, 100m), (5m, -1m)]),
        AccountFates = new Dictionary<string, AccountFate>
        {
            ["acct-0003"] = AccountFate.Liquidated,
            ["acct-0001"] = AccountFate.MarginCalled,
            ["acct-0002"] = AccountFate.Bankrupt,
        },
    };

    private static TimePoint[] Prices(decimal start, decimal step) =>
        Enumerable.Range(0, 600).Select(i => new TimePoint(Start.AddSeconds(i), start + (step * i))).ToArray();
}
