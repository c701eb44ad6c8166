using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Margin;

public class MarginEngineTests
{
    [Fact]
    public void Equity_should_be_haircut_collateral_plus_unrealized_pnl()
    {
        // 1 BTC at 50,000 with a 95% haircut = 47,500; 1,000 USDT; long 1 BTCUSDT from 48,000 → uPnL 2,000.
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 1_000m), ("BTC", 1m)], [("BTCUSDT", 1m, 48_000m)]);
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices());
        Assert.Equal(48_500m, r.CollateralValue);
        Assert.Equal(2_000m, r.UnrealizedPnl);
        Assert.Equal(50_500m, r.Equity);
        Assert.Equal(200m, r.Maintenance); // 50,000 × 0.4%
        Assert.Equal(200m / 50_500m, r.MarginRatio);
        Assert.Equal(50_500m - 400m, r.AvailableMargin); // IM = 50,000 / 125
    }

    [Fact]
    public void Totals_only_valuation_should_equal_the_full_valuation_digit_for_digit()
    {
        var pm = new Risk.Portfolio.PortfolioMarginConfig([new Risk.Portfolio.CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var mode = (MarginMode)(seed % 3);
            var (account, prices) = RandomBooks.Account(seed, mode);
            var full = MarginEngine.Evaluate(account, Fixtures.Catalog, prices, pm);
            var totals = MarginEngine.EvaluateTotals(account, Fixtures.Catalog, prices, pm);
            // Decimal text keeps every digit and trailing zero: the sums must be the same operations in the same order.
            string Text(AccountRisk r) => string.Join(';', r.Mode, r.CollateralValue, r.UnrealizedPnl, r.Equity, r.Maintenance, r.Initial, r.Notional);
            return Text(full) == Text(totals)
                && (mode == MarginMode.Isolated ? totals.Positions.SequenceEqual(full.Positions) : totals.Positions.IsEmpty);
        });
    }

    [Fact]
    public void Tiered_haircut_should_sum_piecewise_over_tiers()
    {
        // ETH tiers: 95% up to 1,000,000 then 90%. 500 ETH at 3,000 = 1.5M → 950,000 + 450,000 = 1,400,000.
        var a = Fixtures.Account("a", MarginMode.Cross, [("ETH", 500m)], []);
        Assert.Equal(1_400_000m, MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices()).CollateralValue);
    }

    [Fact]
    public void Inverse_pnl_should_settle_in_the_coin()
    {
        // Long 1,000 contracts × 100 USD from 40,000 marked at 50,000: 100,000·(1/40,000 − 1/50,000) = 0.5 BTC = 25,000 USD.
        var a = Fixtures.Account("a", MarginMode.Cross, [("BTC", 1m)], [("BTCUSD", 1_000m, 40_000m)]);
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices());
        Assert.Equal(25_000m, r.UnrealizedPnl);
        Assert.Equal(100_000m, r.Notional); // 2 BTC × 50,000
    }

    [Fact]
    public void Isolated_loss_should_stop_at_the_position_margin()
    {
        var a = Fixtures.Account("a", MarginMode.Isolated, [("USDT", 10_000m)], []);
        a = Risk.Events.AccountFold.Apply(a, new Risk.Events.IsolatedMarginAssigned("BTCUSDT", 1_000m), Fixtures.Catalog);
        a = Risk.Events.AccountFold.Apply(a, new Risk.Events.PositionFilled("BTCUSDT", 1m, 50_000m, 0m), Fixtures.Catalog);
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, Fixtures.Prices(btc: 40_000m));
        Assert.Equal(9_000m, r.CollateralValue);
        Assert.Equal(-9_000m, r.Positions[0].IsolatedEquity);
        Assert.Equal(9_000m, r.Equity); // the pool is untouched by the 10,000 loss
    }

    [Fact]
    public void Unknown_instrument_zero_price_bad_haircut_and_NaN_should_each_raise_a_typed_error()
    {
        Assert.Equal("instrument", Assert.Throws<RiskInputException>(() => Fixtures.Catalog.Instrument("DOGEUSDT")).Field);
        Assert.Equal("mark[BTCUSDT]", Assert.Throws<RiskInputException>(() => Fixtures.Prices().WithMark("BTCUSDT", 0m)).Field);
        Assert.Equal("haircut.tiers[0].ratio", Assert.Throws<RiskInputException>(() => HaircutSchedule.Flat(1.2m)).Field);
        Assert.Equal("NaN", Assert.Throws<RiskInputException>(() => Guard.FromDouble(double.NaN, "mark[BTCUSDT]")).Value);
        Assert.Throws<RiskInputException>(() => Guard.FromDouble(double.PositiveInfinity, "mark[BTCUSDT]"));
        Assert.Throws<RiskInputException>(() => Guard.FromDouble(1e30, "mark[BTCUSDT]"));
        Assert.Equal("size", Assert.Throws<RiskInputException>(() => Guard.Parse("NaN", "size")).Field);
        Assert.Throws<RiskInputException>(() => new MarketPrices([new("BTCUSDT", -1m)], []));
    }

    [Fact]
    public void Overflow_should_throw_rather_than_wrap()
    {
        var a = Fixtures.WithPositions("a", MarginMode.Cross, decimal.MaxValue / 2m, Position.Open(Fixtures.BtcUsdt, 1m, 50_000m));
        var big = a.WithBalance("BTC", decimal.MaxValue / 2m);
        Assert.Throws<OverflowException>(() => MarginEngine.Evaluate(big, Fixtures.Catalog, Fixtures.Prices()));
    }

    [Fact]
    public void Incremental_calculator_should_equal_the_full_valuation_after_ticks()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 100_000m), ("BTC", 2m)],
            [("BTCUSDT", 3m, 48_000m), ("ETHUSDT", -20m, 3_100m), ("BTCUSD", 500m, 45_000m)]);
        var prices = Fixtures.Prices();
        var calc = new MarginCalculator(a, Fixtures.Catalog, prices);
        foreach (var (id, mark) in new[] { ("BTCUSDT", 90_000m), ("ETHUSDT", 2_500.5m), ("BTCUSD", 51_000m), ("BTCUSDT", 30_000.1m) })
        {
            calc.UpdateMark(calc.IndexOf(id), mark);
            prices = prices.WithMark(id, mark);
            var full = MarginEngine.Evaluate(a, Fixtures.Catalog, prices);
            Assert.Equal(full.Equity, calc.Equity);
            Assert.Equal(full.Maintenance, calc.Maintenance);
            Assert.Equal(full.Initial, calc.Initial);
            Assert.Equal(full.Notional, calc.Notional);
        }
    }
}
