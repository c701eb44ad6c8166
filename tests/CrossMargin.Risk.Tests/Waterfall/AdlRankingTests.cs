using CrossMargin.Risk.Model;
using CrossMargin.Risk.Tests.Support;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk.Tests.Waterfall;

public class AdlRankingTests
{
    [Fact]
    public void BitMEX_rank_should_multiply_a_profit_by_effective_leverage()
    {
        // Source: bitmex.com/app/autoDeleveraging: Ranking = PnL% × EffLev when PnL% > 0,
        // PnL% = (MarkValue − AvgEntryValue)/|AvgEntryValue|, EffLev = |MarkValue| / (MarkValue − BankruptValue).
        // Long 10 at 100 marked at 110 with 50 of equity behind it: PnL% = 10%, EffLev = 1,100/50 = 22 → 2.2.
        Assert.Equal(2.2m, AdlSelector.BitMexScore(100m, 1_000m, 1_100m, 50m));
    }

    [Fact]
    public void BitMEX_rank_should_divide_a_loss_by_effective_leverage()
    {
        // Short 10 at 100 marked at 110: PnL% = −10%, EffLev 22 → −0.1/22.
        Assert.Equal(-0.1m / 22m, AdlSelector.BitMexScore(-100m, 1_000m, 1_100m, 50m));
    }

    [Fact]
    public void Binance_rank_should_be_pnl_percent_times_margin_ratio()
    {
        // Source: Binance ADL announcement: PnL% = max(0,uPnL)/max(1,WB); MarginRatio = MM/(WB+uPnL); product.
        // uPnL 500, WB 1,000, MM 30 → 0.5 × 30/1,500 = 0.01.
        Assert.Equal(0.01m, AdlSelector.BinanceScore(500m, 1_000m, 30m));
        Assert.Equal(0m, AdlSelector.BinanceScore(-2_000m, 1_000m, 30m));
    }

    [Fact]
    public void Queue_ranking_should_take_the_highest_ranked_opposite_positions_first()
    {
        // Two shorts profit from a fall; the more leveraged one ranks first and absorbs the bankrupt long first.
        var lev = Fixtures.Account("lev", MarginMode.Cross, [("USDT", 1_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var calm = Fixtures.Account("calm", MarginMode.Cross, [("USDT", 100_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var bust = Fixtures.Account("bust", MarginMode.Cross, [("USDT", 100m)], [("BTCUSDT", 2m, 50_000m)]);
        var book = Book.Create("USDT", [lev, calm, bust], 0m);
        var m = AdlSelector.Select(book, Fixtures.Catalog, Fixtures.Prices(btc: 45_000m), "BTCUSDT", 1.5m, "bust", AdlRanking.BitMex);
        Assert.Equal(["lev", "calm"], m.Select(x => x.AccountId));
        Assert.Equal([1m, 0.5m], m.Select(x => x.Matched));
    }

    [Fact]
    public void Pro_rata_should_split_by_positive_pnl()
    {
        var a = Fixtures.Account("a", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", -3m, 50_000m)]);
        var b = Fixtures.Account("b", MarginMode.Cross, [("USDT", 10_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var book = Book.Create("USDT", [a, b], 0m);
        var m = AdlSelector.Select(book, Fixtures.Catalog, Fixtures.Prices(btc: 45_000m), "BTCUSDT", 2m, "x", AdlRanking.ProRata);
        Assert.Equal([1.5m, 0.5m], m.Select(x => x.Matched));
    }
}
