using CrossMargin.Risk.Model;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk.Tests.Support;

/// <summary>
/// Deterministic random scenarios built from one seed (FsCheck generates the seeds): a book of cross accounts whose
/// positions come from trades between them (so open interest balances), then a price move.
/// </summary>
internal static class RandomBooks
{
    public const string Maker = "maker";

    public static (Book Book, MarketPrices Prices) Create(int seed, bool withIsolated = false)
    {
        var rng = new System.Random(seed);
        var n = rng.Next(2, 6);
        var accounts = new List<Account>
        {
            Fixtures.Account(Maker, MarginMode.Cross, [("USDT", 100_000_000m)], []),
            Fixtures.Account("backstop", MarginMode.Cross, [("USDT", 100_000_000m)], []),
        };
        for (var i = 0; i < n; i++)
        {
            var mode = withIsolated && i == 0 ? MarginMode.Isolated : MarginMode.Cross;
            accounts.Add(Fixtures.Account($"acc{i}", mode, [("USDT", Money(rng, 100m, 200_000m))], []));
        }

        var book = Book.Create("USDT", accounts, Money(rng, 0m, 50_000m));
        var ids = accounts.Select(a => a.Id).Where(id => id != "backstop").ToList();
        var trades = rng.Next(1, 10);
        for (var t = 0; t < trades; t++)
        {
            var taker = ids[rng.Next(ids.Count)];
            var maker = ids[rng.Next(ids.Count)];
            if (taker == maker)
            {
                continue;
            }

            var btc = rng.Next(2) == 0;
            var inst = btc ? "BTCUSDT" : "ETHUSDT";
            var size = (btc ? rng.Next(1, 5_000) : rng.Next(10, 80_000)) * 0.001m * (rng.Next(2) == 0 ? 1 : -1);
            var price = btc ? rng.Next(400_000, 600_000) * 0.1m : rng.Next(250_000, 350_000) * 0.01m;
            if (book.Account(taker).Mode == MarginMode.Isolated)
            {
                var margin = Math.Abs(size) * price * 0.05m;
                book = book.With(Risk.Events.AccountFold.Apply(book.Account(taker), new Risk.Events.IsolatedMarginAssigned(inst, decimal.Round(margin, 2)), Fixtures.Catalog));
            }

            book = BookOps.Trade(book, Fixtures.Catalog, taker, maker, inst, size, price, 0m, 1m);
        }

        var btcMark = rng.Next(300_000, 700_000) * 0.1m;
        var ethMark = rng.Next(180_000, 420_000) * 0.01m;
        return (book, Fixtures.Prices(btcMark, ethMark));
    }

    public static decimal Money(System.Random rng, decimal lo, decimal hi) =>
        decimal.Round(lo + ((hi - lo) * rng.Next(0, 1_000_001) / 1_000_000m), 2);

    /// <summary>A single random cross/portfolio/isolated account with several instruments and collateral assets.</summary>
    public static (Account Account, MarketPrices Prices) Account(int seed, MarginMode mode)
    {
        var rng = new System.Random(seed);
        var deposits = new List<(string, decimal)> { ("USDT", Money(rng, 0m, 100_000m)) };
        if (rng.Next(2) == 0)
        {
            deposits.Add(("BTC", rng.Next(0, 3_000) * 0.001m + 0.001m));
        }

        if (rng.Next(2) == 0)
        {
            deposits.Add(("ETH", rng.Next(0, 30_000) * 0.001m + 0.001m));
        }

        var fills = new List<(string, decimal, decimal)>();
        foreach (var inst in new[] { "BTCUSDT", "ETHUSDT", "BTCUSD", "BTC-PERPETUAL" })
        {
            if (rng.Next(3) == 0)
            {
                continue;
            }

            var sign = rng.Next(2) == 0 ? 1 : -1;
            var (size, price) = inst switch
            {
                "BTCUSDT" => (rng.Next(1, 3_000) * 0.001m, rng.Next(400_000, 600_000) * 0.1m),
                "ETHUSDT" => (rng.Next(1, 30_000) * 0.001m, rng.Next(250_000, 350_000) * 0.01m),
                "BTCUSD" => (rng.Next(1, 2_000) * 1m, rng.Next(80_000, 120_000) * 0.5m),
                _ => (rng.Next(1, 20_000) * 1m, rng.Next(80_000, 120_000) * 0.5m),
            };
            fills.Add((inst, sign * size, price));
        }

        var account = Fixtures.Account("r", mode == MarginMode.Isolated ? MarginMode.Isolated : MarginMode.Cross, deposits, []);
        foreach (var (inst, size, price) in fills)
        {
            if (mode == MarginMode.Isolated)
            {
                var spec = Fixtures.Catalog.Instrument(inst);
                var settle = Risk.Margin.PositionMath.Notional(spec, size, price) * rng.Next(1, 30) / 100m;
                account = account.WithBalance(spec.SettlementAsset, account.Balance(spec.SettlementAsset) + settle);
                account = Risk.Events.AccountFold.Apply(account, new Risk.Events.IsolatedMarginAssigned(inst, settle), Fixtures.Catalog);
            }

            account = Risk.Events.AccountFold.Apply(account, new Risk.Events.PositionFilled(inst, size, price, 0m), Fixtures.Catalog);
        }

        account = account with { Mode = mode };
        var btc = rng.Next(350_000, 650_000) * 0.1m;
        var eth = rng.Next(200_000, 400_000) * 0.01m;
        return (account, Fixtures.Prices(btc, eth));
    }
}
