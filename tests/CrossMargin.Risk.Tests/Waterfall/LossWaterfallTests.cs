using CrossMargin.Risk.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk.Tests.Waterfall;

public class LossWaterfallTests
{
    private static readonly MarketPrices Crash = Fixtures.Prices(btc: 45_000m);

    /// <summary>A long 2 BTC with 100 USDT behind it, opposite two shorts; at 45,000 it is 9,900 under water.</summary>
    private static Book Setup(decimal insurance)
    {
        var book = Book.Create("USDT", [
            Fixtures.Account("bust", MarginMode.Cross, [("USDT", 100m)], []),
            Fixtures.Account("s1", MarginMode.Cross, [("USDT", 2_000m)], []),
            Fixtures.Account("s2", MarginMode.Cross, [("USDT", 50_000m)], []),
            Fixtures.Account("backstop", MarginMode.Cross, [("USDT", 1_000_000m)], []),
        ], insurance);
        book = BookOps.Trade(book, Fixtures.Catalog, "bust", "s1", "BTCUSDT", 1m, 50_000m, 0m, 1m);
        return BookOps.Trade(book, Fixtures.Catalog, "bust", "s2", "BTCUSDT", 1m, 50_000m, 0m, 1m);
    }

    [Fact]
    public void The_insurance_fund_should_cover_a_deficit_it_can_afford()
    {
        var book = Setup(20_000m);
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Crash, Fixtures.Config, "bust");
        Assert.Equal(9_900m, r.Deficit);
        Assert.Equal(9_900m, r.InsurancePaid);
        Assert.Empty(r.Adl);
        Assert.Equal(0m, r.Book.Account("bust").Balance("USDT"));
        Assert.Equal(10_100m, r.Book.InsuranceFund);
        Assert.Equal(2m, r.Book.Account("backstop").Positions["BTCUSDT"].Size);
        Assert.Equal(book.TotalValue(Fixtures.Catalog, Crash), r.Book.TotalValue(Fixtures.Catalog, Crash));
    }

    [Fact]
    public void ADL_should_charge_the_ranked_winners_when_the_fund_is_short()
    {
        var book = Setup(1_000m);
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Crash, Fixtures.Config, "bust");
        Assert.Equal(1_000m, r.InsurancePaid);
        Assert.Equal(8_900m, r.AdlCharged);
        Assert.Equal(0m, r.Unassigned);
        Assert.Equal("s1", r.Adl[0].AccountId); // higher PnL% × leverage
        Assert.Equal(4_450m, r.Adl[0].Charge); // half the size → half the remaining deficit
        Assert.Equal(0m, r.Book.Account("bust").Balance("USDT"));
        Assert.Empty(r.Book.Account("s1").Positions);
        var (l, s) = r.Book.OpenInterest("BTCUSDT");
        Assert.Equal(l, s);
        Assert.Equal(book.TotalValue(Fixtures.Catalog, Crash), r.Book.TotalValue(Fixtures.Catalog, Crash));
    }

    [Fact]
    public void Socialized_loss_should_spread_pro_rata_to_positive_equity_when_ADL_is_off()
    {
        var config = Fixtures.Config with { Waterfall = LossWaterfallConfig.Default with { UseAdl = false, UseInsuranceFund = false } };
        var book = Setup(0m);
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Crash, config, "bust");
        Assert.Equal(9_900m, r.Socialized);
        Assert.Equal(0m, r.Unassigned);
        Assert.Equal(book.TotalValue(Fixtures.Catalog, Crash), r.Book.TotalValue(Fixtures.Catalog, Crash));
    }

    [Fact]
    public void With_every_step_off_the_loss_should_stay_unassigned_on_the_account()
    {
        var config = Fixtures.Config with { Waterfall = LossWaterfallConfig.Default with { UseAdl = false, UseInsuranceFund = false, UseSocializedLoss = false } };
        var r = LossWaterfall.Resolve(Setup(0m), Fixtures.Catalog, Crash, config, "bust");
        Assert.Equal(9_900m, r.Unassigned);
        Assert.Equal(-9_900m, r.Book.Account("bust").Balance("USDT"));
    }

    [Fact]
    public void Other_collateral_should_be_seized_before_the_fund_pays()
    {
        var book = Setup(20_000m);
        book = book.With(AccountFold.Apply(book.Account("bust"), new CollateralDeposited("BTC", 0.1m), Fixtures.Catalog));
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Crash, Fixtures.Config, "bust");
        Assert.Equal(4_275m, r.CollateralSeized); // 0.1 × 45,000 × 95%
        Assert.Equal(9_900m - 4_275m, r.InsurancePaid);
        Assert.Equal(book.TotalValue(Fixtures.Catalog, Crash), r.Book.TotalValue(Fixtures.Catalog, Crash));
    }

    [Fact]
    public void An_isolated_bankruptcy_should_never_touch_the_pool()
    {
        var iso = Fixtures.Account("iso", MarginMode.Isolated, [("USDT", 10_000m)], []);
        iso = AccountFold.Apply(iso, new IsolatedMarginAssigned("BTCUSDT", 500m), Fixtures.Catalog);
        var book = Book.Create("USDT", [iso, Fixtures.Account("s", MarginMode.Cross, [("USDT", 50_000m)], [])], 1_000m);
        book = BookOps.Trade(book, Fixtures.Catalog, "iso", "s", "BTCUSDT", 1m, 50_000m, 0m, 1m);
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Crash, Fixtures.Config, "iso", "BTCUSDT");
        Assert.Equal(4_500m, r.Deficit);
        Assert.Equal(9_500m, r.Book.Account("iso").Balance("USDT"));
        Assert.Empty(r.Book.Account("iso").Positions);
        Assert.Equal(book.TotalValue(Fixtures.Catalog, Crash), r.Book.TotalValue(Fixtures.Catalog, Crash));
    }

    [Fact]
    public void A_positive_remainder_should_pay_the_liquidation_fee_to_the_fund()
    {
        // Closing out at 50,150 leaves 400 of equity: the fee is min(0.3% × 100,300, 400) = 300.9, paid to the fund.
        var book = Setup(0m);
        var r = LossWaterfall.Resolve(book, Fixtures.Catalog, Fixtures.Prices(btc: 45_000m + 5_150m), Fixtures.Config, "bust");
        Assert.Equal(0m, r.Deficit);
        Assert.Equal(300.9m, r.LiquidationFee);
        Assert.Equal(300.9m, r.Book.InsuranceFund);
    }
}
