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
            accounts.Add(Fixtures.Account($"acc{i}", mode, [("USDT", LogMoney(rng, 100m, 200_000m))], []));
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
                // Margin comes out of the pool, never more than it holds (an isolated pool cannot go negative).
                var margin = Math.Min(book.Account(taker).Balance("USDT"), decimal.Round(Math.Abs(size) * price * 0.05m, 2));
                if (margin > 0m)
                {
                    book = book.With(Risk.Events.AccountFold.Apply(book.Account(taker), new Risk.Events.IsolatedMarginAssigned(inst, margin), Fixtures.Catalog));
                }
            }

            book = BookOps.Trade(book, Fixtures.Catalog, taker, maker, inst, size, price, 0m, 1m);
        }

        // Small, medium or large moves from the middle of the traded range, so partial liquidations, close-outs
        // and healthy accounts all occur.
        var move = new[] { 0.02, 0.1, 0.4 }[rng.Next(3)];
        var btcMark = decimal.Round(50_000m * (decimal)(1 + (move * ((2 * rng.NextDouble()) - 1))), 1);
        var ethMark = decimal.Round(3_000m * (decimal)(1 + (move * ((2 * rng.NextDouble()) - 1))), 2);
        var prices = Fixtures.Prices(btcMark, ethMark);
        if (rng.Next(2) == 0)
        {
            // Put one account right into the Liquidating zone (equity ≈ 0.7–0.95 × MM) to exercise partial liquidation.
            var target = book.Accounts.Values.Where(x => x.Id.StartsWith("acc", StringComparison.Ordinal) && x.Mode == MarginMode.Cross && !x.Positions.IsEmpty).ToList();
            if (target.Count > 0)
            {
                prices = NearRatio(target[rng.Next(target.Count)], prices, 0.7m + (rng.Next(0, 26) / 100m), null) ?? prices;
            }
        }

        return (book, prices);
    }

    /// <summary>Prices with one instrument moved to where equity = ratio × MM (others fixed), when such a price exists.</summary>
    public static MarketPrices? NearRatio(Account account, MarketPrices prices, decimal ratio, Risk.Portfolio.PortfolioMarginConfig? pm)
    {
        var id = account.Positions.Where(p => p.Value.Size != 0m).Select(p => p.Key).FirstOrDefault();
        if (id is null)
        {
            return null;
        }

        var x = Risk.Liquidation.LiquidationPrices.Solve(account, Fixtures.Catalog, prices, id, ratio, pm);
        if (x is not { } mark || mark <= 0m || mark > prices.Mark(id) * 3m || mark < prices.Mark(id) / 3m)
        {
            return null;
        }

        var spec = Fixtures.Catalog.Instrument(id);
        var rounded = Math.Max(spec.TickSize, Risk.Rounding.Down(mark, spec.TickSize));
        var moved = prices.WithMark(id, rounded);
        // Instruments on the same underlying share the mark; keep the asset price in step as well.
        foreach (var other in Fixtures.Catalog.Instruments.Values.Where(i => i.Underlying == spec.Underlying))
        {
            moved = moved.WithMark(other.Id, rounded);
        }

        return moved.WithPrice(spec.Underlying, rounded);
    }

    /// <summary>
    /// Prices with one instrument moved so the account (isolated: its first position) sits near (1 + <paramref name="offset"/>)
    /// × its exit level, liquidation-ratio·MM + exit-buffer·notional (exact while the maintenance rate does not step),
    /// when such a price exists.
    /// </summary>
    public static MarketPrices? NearExitLevel(Account account, MarketPrices prices, decimal offset, Risk.Portfolio.PortfolioMarginConfig? pm)
    {
        var id = account.Positions.Where(p => p.Value.Size != 0m).Select(p => p.Key).FirstOrDefault();
        if (id is null)
        {
            return null;
        }

        var risk = Risk.Margin.MarginEngine.Evaluate(account, Fixtures.Catalog, prices, pm);
        var (mm, notional) = account.Mode == MarginMode.Isolated
            ? risk.Positions.Where(p => p.InstrumentId == id).Select(p => (p.Maintenance, p.Notional)).First()
            : (risk.Maintenance, risk.Notional);
        if (mm <= 0m)
        {
            return null;
        }

        var exit = Risk.States.RiskStateMachine.ExitLevel(mm, notional, Fixtures.Config.Thresholds);
        return NearRatio(account, prices, decimal.Round(exit / mm * (1m + offset), 12), pm);
    }

    /// <summary>Log-uniform amount in [lo, hi] (leverage then spans orders of magnitude).</summary>
    public static decimal LogMoney(System.Random rng, decimal lo, decimal hi) =>
        decimal.Round(lo * (decimal)Math.Pow((double)(hi / lo), rng.NextDouble()), 2);

    public static decimal Money(System.Random rng, decimal lo, decimal hi) =>
        decimal.Round(lo + ((hi - lo) * rng.Next(0, 1_000_001) / 1_000_000m), 2);

    /// <summary>A single random cross/portfolio/isolated account with several instruments and collateral assets.</summary>
    public static (Account Account, MarketPrices Prices) Account(int seed, MarginMode mode)
    {
        var rng = new System.Random(seed);
        var deposits = new List<(string, decimal)> { ("USDT", LogMoney(rng, 10m, 200_000m)) };
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
        var prices = Fixtures.Prices(btc, eth);
        if (mode != MarginMode.Portfolio && rng.Next(2) == 0)
        {
            // Near a threshold: equity ≈ ratio × MM for a ratio around the state boundaries.
            decimal[] ratios = [0.5m, 0.7m, 0.9m, 1.1m, 1.3m, 1.6m];
            prices = NearRatio(account, prices, ratios[rng.Next(ratios.Length)], null) ?? prices;
        }

        return (account, prices);
    }
}
