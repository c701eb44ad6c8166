using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Margin;

public class PortfolioMarginTests
{
    private static readonly PortfolioMarginConfig Pm = new PortfolioMarginConfig(
        [new CorrelationGroup("majors", ["BTC", "ETH"], 0.16m)]).Validate();

    private static decimal Mm(Account a) => MarginEngine.Evaluate(a with { Mode = MarginMode.Portfolio }, Fixtures.Catalog, Fixtures.Prices(), Pm).Maintenance;

    [Fact]
    public void Short_perpetual_against_BTC_collateral_should_need_far_less_than_the_naked_short()
    {
        var naked = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var hedged = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m), ("BTC", 1m)], [("BTCUSDT", -1m, 50_000m)]);
        // Naked: worst of ±16% and the extreme ±32% at 35% → 8,000, plus 0.5% floor 250.
        Assert.Equal(8_250m, Mm(naked));
        // Hedged: the 5% haircut leaves 0.05 × 0.16 × 50,000 = 400 at the −16% point, plus the floor.
        Assert.Equal(650m, Mm(hedged));
    }

    [Fact]
    public void Long_and_short_on_correlated_assets_should_offset()
    {
        var longBtc = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", 1m, 50_000m)]);
        var shortEth = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m)], [("ETHUSDT", -16m, 3_000m)]);
        var both = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", 1m, 50_000m), ("ETHUSDT", -16m, 3_000m)]);
        Assert.True(Mm(both) * 5m < Mm(longBtc) + Mm(shortEth), $"{Mm(both)} vs {Mm(longBtc)} + {Mm(shortEth)}");
    }

    [Fact]
    public void Initial_margin_should_be_k_times_maintenance()
    {
        var a = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices(), Pm);
        Assert.Equal(r.Maintenance * 1.5m, r.Initial);
    }

    [Fact]
    public void Scenario_grid_should_span_the_range_in_buckets_with_two_extreme_moves()
    {
        var shocks = PortfolioMargin.Shocks(0.16m, Pm).ToList();
        Assert.Equal(11, shocks.Count); // 9 buckets + 2 extreme
        Assert.Equal(-0.16m, shocks[0].Shock);
        Assert.Equal(0m, shocks[4].Shock);
        Assert.Equal(0.16m, shocks[8].Shock);
        Assert.Equal((0.32m, 0.35m), shocks[10]);
    }
}
