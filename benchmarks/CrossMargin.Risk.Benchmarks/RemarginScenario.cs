using CrossMargin.Risk;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Benchmarks;

/// <summary>
/// A cross account with N linear USDT perpetuals (Binance BTCUSDT brackets), and the two marks a tick alternates
/// between for each instrument (staying inside one bracket, so the work per tick is steady).
/// </summary>
public sealed class RemarginScenario
{
    public RemarginScenario(int positions)
    {
        var table = new BracketTable([
            new Bracket(0m, 50_000m, 0.004m, 125m), new Bracket(50_000m, 250_000m, 0.005m, 100m),
            new Bracket(250_000m, 1_000_000m, 0.01m, 50m), new Bracket(1_000_000m, 10_000_000m, 0.025m, 20m)]);
        var specs = Enumerable.Range(0, positions)
            .Select(i => new InstrumentSpec($"PERP{i:00}", InstrumentKind.LinearPerpetual, $"A{i:00}", "USDT", 1m, 0.1m, 0.001m, table))
            .ToList();
        Catalog = new RiskCatalog(specs, [new AssetSpec("USDT", HaircutSchedule.Flat(1m))]);
        var account = Account.Empty("bench").WithBalance("USDT", 250_000m);
        var marks = new List<KeyValuePair<string, decimal>>();
        for (var i = 0; i < positions; i++)
        {
            var price = 1_000m + (i * 137.5m);
            var size = (i % 2 == 0 ? 1m : -1m) * (3.5m + (i * 0.25m));
            account = account.WithPosition(Position.Open(specs[i], size, price));
            marks.Add(new(specs[i].Id, price));
        }

        Account = account;
        Prices = new MarketPrices(marks, [new("USDT", 1m)]);
        TickMarks = marks.Select(m => (m.Value * 1.001m, m.Value * 0.999m)).ToArray();
    }

    public RiskCatalog Catalog { get; }

    public Account Account { get; }

    public MarketPrices Prices { get; }

    /// <summary>Two marks per instrument to alternate between.</summary>
    public (decimal Up, decimal Down)[] TickMarks { get; }
}
