using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Liquidation;

public class LiquidationPriceTests
{
    /// <summary>
    /// Binance one-way liquidation price, as published (reference/exchange-mechanics.md §2.1, binance FAQ mirror):
    /// LP = (WB − TMM₁ + UPNL₁ + cum − side·|q|·E) / (|q|·(MMR − side)).
    /// </summary>
    private static decimal BinanceLp(decimal wb, decimal tmm1, decimal upnl1, decimal cum, int side, decimal q, decimal e, decimal mmr) =>
        (wb - tmm1 + upnl1 + cum - (side * q * e)) / (q * (mmr - side));

    [Fact]
    public void Long_liquidation_price_should_match_the_Binance_formula_and_round_up_to_tick()
    {
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 1_000m, Position.Open(Fixtures.BtcUsdt, 1m, 50_000m));
        var exact = LiquidationPrices.Solve(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT", 1m, null);
        Assert.Equal(BinanceLp(1_000m, 0m, 0m, 0m, 1, 1m, 50_000m, 0.004m), exact);
        Assert.Equal(49_196.8m, LiquidationPrices.Liquidation(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT")); // 49,196.787…
    }

    [Fact]
    public void Short_liquidation_price_should_match_the_Binance_formula_and_round_down_to_tick()
    {
        // With bracket 1 (0.4%, cum 0) the root is 50,796.81, whose notional is past the 50,000 cap: the liquidation
        // happens in bracket 2 (0.5%, cum 50): (1,000 + 50 + 50,000) / (1·(0.005 + 1)) = 50,796.0199…
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 1_000m, Position.Open(Fixtures.BtcUsdt, -1m, 50_000m));
        Assert.Equal(BinanceLp(1_000m, 0m, 0m, 50m, -1, 1m, 50_000m, 0.005m), LiquidationPrices.Solve(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT", 1m, null));
        Assert.Equal(50_796.0m, LiquidationPrices.Liquidation(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT"));
    }

    [Fact]
    public void Liquidation_price_should_use_the_bracket_of_the_liquidation_notional_not_the_current_one()
    {
        // 5.5 BTC at 50,000 = 275,000 (bracket 3 now). Bracket 3's candidate root gives a notional below 250,000, so the
        // answer comes from bracket 2 (MMR 0.5%, cum 50): (30,000 + 50 − 275,000) / (5.5·(0.005 − 1)) = 44,760.16…
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 30_000m, Position.Open(Fixtures.BtcUsdt, 5.5m, 50_000m));
        var exact = LiquidationPrices.Solve(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT", 1m, null)!.Value;
        Assert.Equal(BinanceLp(30_000m, 0m, 0m, 50m, 1, 5.5m, 50_000m, 0.005m), exact);
        var at = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices(btc: exact));
        Assert.True(Math.Abs(at.Equity - at.Maintenance) < 0.000001m);
        Assert.Equal(44_760.2m, LiquidationPrices.Liquidation(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT"));
    }

    [Fact]
    public void Cross_liquidation_price_should_include_the_other_positions_MM_and_pnl()
    {
        // TMM₁ and UPNL₁ are the other positions' MM and uPnL (Binance cross-mode variables).
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 5_000m,
            Position.Open(Fixtures.BtcUsdt, 2m, 50_000m), Position.Open(Fixtures.EthUsdt, -5m, 2_800m));
        var prices = Fixtures.Prices();
        var eth = MarginEngine.Evaluate(a, Fixtures.Catalog, prices).Positions.Single(p => p.InstrumentId == "ETHUSDT");
        var expected = BinanceLp(5_000m, eth.Maintenance, eth.UnrealizedPnl, 50m, 1, 2m, 50_000m, 0.005m);
        Assert.Equal(expected, LiquidationPrices.Solve(a, Fixtures.Catalog, prices, "BTCUSDT", 1m, null));
    }

    [Fact]
    public void BitMEX_example_long_at_100_should_liquidate_near_99_50_and_go_bankrupt_at_99()
    {
        // Source: bitmex.com/app/liquidation and testnet.bitmex.com/app/liquidationExamples: long at 100 with 100x
        // leverage (1% margin), 0.5% maintenance → liquidation 99.50, bankruptcy 99.00.
        var spec = Fixtures.BtcUsdt with { Id = "XBT100", TickSize = 0.5m, Margin = Fixtures.Table((1_000_000m, 0.005m, 100m)) };
        var catalog = new RiskCatalog([spec], Fixtures.Catalog.Assets.Values);
        var a = Fixtures.WithPositions("a", MarginMode.Isolated, 0m, Position.Open(spec, 1m, 100m, isolatedMargin: 1m));
        var prices = new MarketPrices([new("XBT100", 100m)], [new("USDT", 1m)]);
        Assert.Equal(99.5m, LiquidationPrices.Liquidation(a, catalog, prices, "XBT100")); // 99/0.995 = 99.497… rounded up
        Assert.Equal(99m, LiquidationPrices.Bankruptcy(a, catalog, prices, "XBT100"));
    }

    [Fact]
    public void Inverse_bankruptcy_price_should_match_the_Bybit_example()
    {
        // Source: Bybit help centre: inverse long BP = Entry·Lev/(Lev+1); 7,890.08 at 50x ≈ 7,735.50.
        var spec = Fixtures.BtcUsd with { ContractSize = 1m };
        var catalog = new RiskCatalog([spec], Fixtures.Catalog.Assets.Values);
        var q = 50_000m;
        var margin = q / 7_890.08m / 50m; // position value in BTC / leverage
        var a = Fixtures.WithPositions("a", MarginMode.Isolated, 0m, Position.Open(spec, q, 7_890.08m, margin));
        var prices = new MarketPrices([new("BTCUSD", 7_890m)], [new("BTC", 7_890m), new("USDT", 1m)]);
        var exact = LiquidationPrices.Solve(a, catalog, prices, "BTCUSD", 0m, null)!.Value;
        Assert.True(Math.Abs(exact - (7_890.08m * 50m / 51m)) < 0.0000001m);
        Assert.Equal(7_735.5m, LiquidationPrices.Bankruptcy(a, catalog, prices, "BTCUSD"));
    }

    [Fact]
    public void Inverse_cross_liquidation_price_should_zero_equity_minus_MM()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("BTC", 0.5m)], [("BTCUSD", 2_000m, 50_000m)]);
        var prices = Fixtures.Prices();
        // BTC carries a 95% haircut, so equity is piecewise in X: solved by bisection to a thousandth of a tick.
        var x = LiquidationPrices.Solve(a, Fixtures.Catalog, prices, "BTCUSD", 1m, null)!.Value;
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, prices.WithMark("BTCUSD", x));
        Assert.True(Math.Abs(r.Equity - r.Maintenance) < 0.01m, $"equity {r.Equity} vs MM {r.Maintenance} at {x}");
        // The bisection answer lies on the mark's side of the root, so rounding a long's price up stays conservative.
        Assert.True(r.Equity >= r.Maintenance, $"equity {r.Equity} below MM {r.Maintenance} at {x}");
    }

    [Fact]
    public void Inverse_linear_in_size_liquidation_price_should_be_found_by_bisection()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("BTC", 1m)], [("BTC-PERPETUAL", 100_000m, 50_000m)]);
        var prices = Fixtures.Prices();
        var x = LiquidationPrices.Solve(a, Fixtures.Catalog, prices, "BTC-PERPETUAL", 1m, null)!.Value;
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, prices.WithMark("BTC-PERPETUAL", x));
        Assert.True(Math.Abs(r.Equity - r.Maintenance) < 0.01m, $"equity {r.Equity} vs MM {r.Maintenance} at {x}");
    }

    [Fact]
    public void A_portfolio_account_should_have_a_bankruptcy_price_without_a_scenario_config()
    {
        // Bankruptcy depends on equity alone (margin + uPnL = 0): 1,000 USDT behind a long 1 BTC from 50,000 → 49,000.
        var a = Fixtures.Account("a", MarginMode.Portfolio, [("USDT", 1_000m)], [("BTCUSDT", 1m, 50_000m)]);
        Assert.Equal(49_000m, LiquidationPrices.Bankruptcy(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT"));
        // Coin-settled (haircut schedule, bisection path): the same price as the cross account with the same holdings.
        var inverse = Fixtures.Account("b", MarginMode.Portfolio, [("BTC", 0.5m)], [("BTCUSD", 2_000m, 50_000m)]);
        Assert.Equal(
            LiquidationPrices.Bankruptcy(inverse with { Mode = MarginMode.Cross }, Fixtures.Catalog, Fixtures.Prices(), "BTCUSD"),
            LiquidationPrices.Bankruptcy(inverse, Fixtures.Catalog, Fixtures.Prices(), "BTCUSD"));
    }

    [Fact]
    public void An_overcollateralized_long_should_have_no_liquidation_price()
    {
        var a = Fixtures.WithPositions("a", MarginMode.Cross, 100_000m, Position.Open(Fixtures.BtcUsdt, 1m, 50_000m));
        Assert.Null(LiquidationPrices.Liquidation(a, Fixtures.Catalog, Fixtures.Prices(), "BTCUSDT"));
    }
}
