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

    [Fact]
    public void BitMEX_published_ADL_example_should_deleverage_accounts_2_and_5()
    {
        // Source: bitmex.com/app/autoDeleveragingExamples (reference/exchange-mechanics.md §2.5): six longs with
        // quantities 10, 10, 20, 30, 20, 10 and PnL rankings 3, 6, 1, 4, 5, 2; a short of 20 is liquidated and absorbed by
        // account 2 (all 10) then account 5 (10 of its 20). Quantities here are /10 BTC. Every long entered at 50,000
        // and is marked 51,000 (PnL% = 2%), so the rank follows effective leverage |MarkValue| / equity: the equity
        // behind each long is its notional / (2 × rank), i.e. EffLev = 2 × rank.
        var longs = new (string Id, decimal Qty, int Rank)[] { ("1", 1m, 3), ("2", 1m, 6), ("3", 2m, 1), ("4", 3m, 4), ("5", 2m, 5), ("6", 1m, 2) };
        var accounts = longs.Select(l =>
        {
            var equity = l.Qty * 51_000m / (2m * l.Rank);
            return Fixtures.Account(l.Id, MarginMode.Cross, [("USDT", equity - (l.Qty * 1_000m))], [("BTCUSDT", l.Qty, 50_000m)]);
        }).Append(Fixtures.Account("short", MarginMode.Cross, [("USDT", 100m)], [("BTCUSDT", -2m, 50_000m)])).ToList();
        var book = Book.Create("USDT", accounts, 0m);
        var matches = AdlSelector.Select(book, Fixtures.Catalog, Fixtures.Prices(btc: 51_000m), "BTCUSDT", -2m, "short", AdlRanking.BitMex);
        Assert.Equal([("2", 1m), ("5", 1m)], matches.Select(m => (m.AccountId, m.Matched)));
        Assert.Equal(0.02m * 12m, matches[0].Rank); // PnL% 2% × EffLev 12
    }

    [Fact]
    public void ADL_scores_should_use_the_runs_portfolio_config()
    {
        // Review issue 3, item 3. Two portfolio accounts short 1 BTC each; "hedged" is also long 16 ETH. With BTC and
        // ETH in one correlation group the hedge offsets and its MM is small; with the default config (each asset its
        // own group) it is large. Binance's score grows with MM, so the queue order depends on the config used.
        var grouped = new Risk.Portfolio.PortfolioMarginConfig([new Risk.Portfolio.CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();
        var plain = Fixtures.Account("plain", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", -1m, 50_000m)]);
        var hedged = Fixtures.Account("hedged", MarginMode.Portfolio, [("USDT", 10_000m)], [("BTCUSDT", -1m, 50_000m), ("ETHUSDT", 16m, 3_000m)]);
        var bust = Fixtures.Account("bust", MarginMode.Cross, [("USDT", 100m)], [("BTCUSDT", 2m, 50_000m)]);
        var book = Book.Create("USDT", [plain, hedged, bust], 0m);
        var prices = Fixtures.Prices(btc: 45_000m, eth: 3_000m);
        var byDefault = AdlSelector.Select(book, Fixtures.Catalog, prices, "BTCUSDT", 0.5m, "bust", AdlRanking.Binance);
        var byRun = AdlSelector.Select(book, Fixtures.Catalog, prices, "BTCUSDT", 0.5m, "bust", AdlRanking.Binance, grouped);
        Assert.Equal("hedged", byDefault.Single().AccountId);
        Assert.Equal("plain", byRun.Single().AccountId);
        var mm = Risk.Margin.MarginEngine.Evaluate(plain, Fixtures.Catalog, prices, grouped).Maintenance;
        Assert.Equal(AdlSelector.BinanceScore(5_000m, 10_000m, mm), byRun.Single().Rank);
    }
}
