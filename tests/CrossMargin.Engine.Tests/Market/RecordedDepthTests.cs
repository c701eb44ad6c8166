using System.Runtime.CompilerServices;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.Market;

/// <summary>
/// The historical scenario's depth file feeds the impact law: the depth factor is the recorded book's depth ÷ its median,
/// times the configured thinning under stress. Fixtures: Market/Fixtures/depth-small.csv (bids at -1%: 100 BTC until
/// 21:06, 20 at 21:07-21:08, 5 from 21:09; median 100) and ticks-small.csv (BTC -20% over 21:00-21:10).
/// </summary>
public sealed class RecordedDepthTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    private static string Fixture(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name);

    private static RecordedDepth Recorded(int band = -1) => new(BookDepthFile.Read(Fixture("depth-small.csv")), band);

    private static DepthThinningParameters Calm(decimal floor = 0.05m) => new(floor, 0.15m, 1000m, TimeSpan.FromHours(1));

    [Fact]
    public void Recorded_depth_factor_should_be_the_depth_at_the_time_over_the_median_depth()
    {
        var d = Recorded();

        Assert.Equal(100m, d.Baseline);
        Assert.Equal(1m, d.FactorAt(T0.AddMinutes(-5))); // before the file: its first sample
        Assert.Equal(1m, d.FactorAt(T0.AddMinutes(6).AddSeconds(59)));
        Assert.Equal(0.2m, d.FactorAt(T0.AddMinutes(7)));
        Assert.Equal(0.05m, d.FactorAt(T0.AddMinutes(30))); // after the file: its last sample
        Assert.Equal(1m, Recorded(1).FactorAt(T0.AddMinutes(8))); // asks stayed at their median
    }

    [Fact]
    public void A_band_the_file_lacks_should_be_refused()
    {
        Assert.Throws<ArgumentException>(() => Recorded(-3));
    }

    [Fact]
    public void Depth_thinning_should_multiply_its_stress_factor_by_the_recorded_factor_at_the_last_observation()
    {
        var thinning = new DepthThinning(Calm(), Recorded());
        thinning.ObservePrice(T0, 100m);
        Assert.Equal(1m, thinning.DepthFactor);

        thinning.ObservePrice(T0.AddMinutes(7), 100m); // no drawdown: only the recorded book thins
        Assert.Equal(0.2m, thinning.DepthFactor);

        thinning.ObserveLiquidation(T0.AddMinutes(7), 500m); // half-way to the liquidation floor: stress 0.5
        var stress = 1m - ((1m - 0.05m) * 0.5m);
        Assert.Equal(stress * 0.2m, thinning.DepthFactor);
        Assert.Equal(stress, new DepthThinning(Calm()).Let(t => { t.ObserveLiquidation(T0, 500m); return t.DepthFactor; }));
    }

    [Fact]
    public void Square_root_law_should_quote_a_larger_move_on_the_thinner_recorded_book()
    {
        var model = new SquareRootImpactModel(new ImpactParameters(0.7m, 0.035m, 4000m, 0.1m, 0.95m));
        var thinning = new DepthThinning(Calm(floor: 1m), Recorded()); // floor 1: no stress thinning, the recording alone
        thinning.ObservePrice(T0, 120_000m);
        var calm = model.Quote(TradeSide.Sell, 10m, 120_000m, thinning.DepthFactor);
        thinning.ObservePrice(T0.AddMinutes(9), 120_000m);
        var thin = model.Quote(TradeSide.Sell, 10m, 120_000m, thinning.DepthFactor);

        // dP/P grows with 1/sqrt(depth): the book at 5% of its median moves the price sqrt(20) times as far.
        Assert.Equal(0.05m, thin.DepthFactor);
        var ratio = (double)(thin.RelativeImpact / calm.RelativeImpact);
        Assert.InRange(ratio, Math.Sqrt(20) * 0.999, Math.Sqrt(20) * 1.001);
    }

    private static Scenario Historical(string? depthFile, params ConfigOverride[] more) =>
        ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides
        {
            Scenario = SimulationFixtures.ScenarioFile("historical"),
            Accounts = 120,
            Seed = 4,
            TickFiles = [Fixture("ticks-small.csv")],
            Sets = [.. depthFile is null ? [] : new[] { new ConfigOverride("crossmargin.scenario.historical.depth-file", $"\"{depthFile}\"") }, .. more],
        });

    [Fact]
    public void Historical_scenario_should_give_the_depth_instrument_the_recorded_depth_and_the_others_none()
    {
        var scenario = Historical(Fixture("depth-small.csv"));

        Assert.NotNull(scenario.Instrument("BTC-PERP").RecordedDepth);
        Assert.Null(scenario.Instrument("ETH-PERP").RecordedDepth);
        Assert.Same(scenario.Instrument("BTC-PERP").RecordedDepth, scenario.Instrument("BTC-PERP").CreateDepthThinning().Recorded);
        Assert.Null(Historical(null).Instrument("BTC-PERP").RecordedDepth);
    }

    [Fact]
    public void Historical_scenario_should_refuse_a_depth_band_the_file_lacks_naming_the_key()
    {
        var e = Assert.Throws<RunInputException>(() => Historical(Fixture("depth-small.csv"), new ConfigOverride("crossmargin.scenario.historical.depth-band", "-2")));

        Assert.Contains("crossmargin.scenario.historical.depth-band must be a band of the depth file", e.Message, StringComparison.Ordinal);
        Assert.Contains("(-1, 1), got -2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Historical_run_should_move_the_mark_further_when_the_recorded_book_thins()
    {
        var (plain, _, plainJournal) = SimulationFixtures.Run(Historical(null));
        var (recorded, _, recordedJournal) = SimulationFixtures.Run(Historical(Fixture("depth-small.csv")));

        Assert.True(plain.InvariantsHeld);
        Assert.True(recorded.InvariantsHeld);
        static (decimal Quantity, decimal Move) Impact(CrossMargin.Persistence.InMemory.InMemoryJournal journal) =>
            journal.CurrentAllEvents(0).ToBlockingEnumerable().Where(e => e.PersistenceId == "feed-BTC-PERP").Select(e => e.Event).OfType<ImpactApplied>()
                .Aggregate((0m, 0m), (a, i) => (a.Item1 + Math.Abs(i.NetQuantity), a.Item2 + Math.Abs(i.PriceChange)));
        var p = Impact(plainJournal);
        var r = Impact(recordedJournal);
        Assert.True(p.Quantity > 0m && r.Quantity > 0m, "the -20% fall should liquidate BTC positions in both runs");
        Assert.True(r.Move / r.Quantity > p.Move / p.Quantity,
            $"impact per liquidated BTC: recorded book {r.Move / r.Quantity}, without it {p.Move / p.Quantity}");
    }

    [Fact]
    public void Recorded_depth_of_2025_10_10_should_show_the_bid_book_withdrawn_during_the_crash()
    {
        // Reads ../shared/data (fails with a message naming the path when it is absent).
        var file = CrossMargin.Engine.Tests.Feeds.SharedData.File("2025-10-10/BTCUSDT-bookDepth-2025-10-10.csv");
        var depth = new RecordedDepth(BookDepthFile.Read(file), -1);

        var calm = depth.FactorAt(new DateTimeOffset(2025, 10, 10, 12, 0, 0, TimeSpan.Zero));
        var crash = Enumerable.Range(0, 60).Select(m => depth.FactorAt(new DateTimeOffset(2025, 10, 10, 21, m, 0, TimeSpan.Zero))).Min();
        Assert.True(calm > 0.5m, $"calm factor {calm}");
        Assert.True(crash < 0.2m * calm, $"lowest factor 21:00-22:00 {crash}, calm {calm}");
    }
}

internal static class LetExtension
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> f) => f(value);
}
