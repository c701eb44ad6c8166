using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Bands;

/// <summary>
/// Worked examples of the exit-level rule: the exit level limits the bands of Liquidating and Backstop states only.
/// Long 1 BTCUSDT at 50,000, marked 50,000: notional 50,000, MM 200 (0.4%), warning level 300, exit level
/// 200 + 2% × 50,000 = 1,200. An exit level 10 USDT away is a 0.02% price move, the most a band limited by it may span.
/// </summary>
public class ExitLevelBandTests
{
    private static readonly MarketPrices Prices = Fixtures.Prices();

    private static Account Cross(decimal usdt) => Fixtures.Account("x", MarginMode.Cross, [("USDT", usdt)], [("BTCUSDT", 1m, 50_000m)]);

    private static Account Isolated(decimal margin) =>
        Fixtures.WithPositions("i", MarginMode.Isolated, 0m, Position.Open(Fixtures.BtcUsdt, 1m, 50_000m, margin));

    private static RiskState StateAt(Account account, MarketPrices prices, RiskState previous) =>
        MarginEngine.State(MarginEngine.Evaluate(account, Fixtures.Catalog, prices), previous, Fixtures.Config.Thresholds);

    private static bool AtExit(Account account, MarketPrices prices)
    {
        var r = MarginEngine.Evaluate(account, Fixtures.Catalog, prices);
        var (equity, mm, notional) = account.Mode == MarginMode.Isolated
            ? (r.Positions[0].IsolatedEquity!.Value, r.Positions[0].Maintenance, r.Positions[0].Notional)
            : (r.Equity, r.Maintenance, r.Notional);
        return RiskStateMachine.AtExitLevel(equity, mm, notional, Fixtures.Config.Thresholds);
    }

    [Fact]
    public void The_example_should_have_the_stated_levels()
    {
        var r = MarginEngine.Evaluate(Cross(1_210m), Fixtures.Catalog, Prices);
        Assert.Equal((1_210m, 200m, 50_000m), (r.Equity, r.Maintenance, r.Notional));
        Assert.Equal(1_200m, RiskStateMachine.ExitLevel(r.Maintenance, r.Notional, Fixtures.Config.Thresholds));
    }

    [Theory]
    [InlineData(MarginMode.Cross)]
    [InlineData(MarginMode.Isolated)]
    public void A_healthy_account_just_above_the_exit_level_should_get_a_band_the_exit_level_does_not_limit(MarginMode mode)
    {
        var account = mode == MarginMode.Cross ? Cross(1_210m) : Isolated(1_210m);
        foreach (var previous in new[] { RiskState.Healthy, RiskState.Liquidating })
        {
            // From Liquidating the account leaves at the exit level; either way the band is for Healthy.
            var bands = RiskBands.Compute(account, Fixtures.Catalog, Prices, Fixtures.Config, previous);
            Assert.Equal(RiskState.Healthy, bands.State);

            // Limited by the warning level (910 USDT away), not the exit level (10 USDT, ≤ 0.02%): about 1.6%.
            Assert.InRange(bands.RelativeWidth, 0.01m, 0.02m);
            var low = Prices.WithMark("BTCUSDT", bands.Marks["BTCUSDT"].Low).WithPrice("BTC", bands.Marks["BTCUSDT"].Low);
            Assert.False(AtExit(account, low)); // the band reaches well below the exit level ...
            Assert.Equal(RiskState.Healthy, StateAt(account, low, bands.State)); // ... where Healthy stays Healthy
        }
    }

    [Theory]
    [InlineData(MarginMode.Cross, RiskState.Liquidating)]
    [InlineData(MarginMode.Cross, RiskState.Backstop)]
    [InlineData(MarginMode.Isolated, RiskState.Liquidating)]
    [InlineData(MarginMode.Isolated, RiskState.Backstop)]
    public void A_liquidating_account_just_below_the_exit_level_should_still_get_a_band_the_exit_level_limits(MarginMode mode, RiskState previous)
    {
        // Equity 1,190: raw Healthy, but from Liquidating or Backstop it stays Liquidating until 1,200. An isolated
        // position keeps that hysteresis through the per-position map (the account-level mapping gives a raw-Healthy
        // position Healthy as its previous state).
        var account = mode == MarginMode.Cross ? Cross(1_190m) : Isolated(1_190m);
        var map = new Dictionary<string, RiskState> { ["BTCUSDT"] = previous };
        var bands = mode == MarginMode.Cross
            ? RiskBands.Compute(account, Fixtures.Catalog, Prices, Fixtures.Config, previous)
            : RiskBands.Compute(account, Fixtures.Catalog, Prices, Fixtures.Config, previous, map);
        Assert.Equal(RiskState.Liquidating, bands.State);
        Assert.True(bands.RelativeWidth < 0.0002m, $"width {bands.RelativeWidth}");
        var high = Prices.WithMark("BTCUSDT", bands.Marks["BTCUSDT"].High).WithPrice("BTC", bands.Marks["BTCUSDT"].High);
        Assert.False(AtExit(account, high));
        var next = MarginEngine.PositionStates(MarginEngine.Evaluate(account, Fixtures.Catalog, Prices), map, Fixtures.Config.Thresholds);
        Assert.Equal(RiskState.Liquidating, MarginEngine.State(MarginEngine.Evaluate(account, Fixtures.Catalog, high), bands.State, next, Fixtures.Config.Thresholds));

        // The same account not in hysteresis is Healthy, with a band about a hundred times wider.
        var healthy = RiskBands.Compute(account, Fixtures.Catalog, Prices, Fixtures.Config, RiskState.Healthy);
        Assert.Equal(RiskState.Healthy, healthy.State);
        Assert.True(healthy.RelativeWidth > 50m * bands.RelativeWidth, $"{healthy.RelativeWidth} vs {bands.RelativeWidth}");
    }
}
