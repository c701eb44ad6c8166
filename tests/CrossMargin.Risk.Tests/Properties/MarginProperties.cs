using System.Collections.Immutable;
using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Properties;

public class MarginProperties
{
    private static readonly PortfolioMarginConfig Pm = new PortfolioMarginConfig([new CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();

    [Fact]
    public void Margin_should_not_depend_on_the_order_of_positions_or_collateral()
    {
        PropertyRunner.ForAllSeeds(200, seed =>
        {
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Cross);
            var rng = new System.Random(seed);
            var shuffledPositions = account.Positions.OrderBy(_ => rng.Next()).ToList();
            var shuffledBalances = account.Balances.OrderBy(_ => rng.Next()).ToList();
            var rebuilt = Account.Empty("r") with
            {
                Balances = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, shuffledBalances),
                Positions = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, shuffledPositions),
            };
            var a = MarginEngine.Evaluate(account, Fixtures.Catalog, prices);
            var b = MarginEngine.Evaluate(rebuilt, Fixtures.Catalog, prices);
            var pa = MarginEngine.Evaluate(account with { Mode = MarginMode.Portfolio }, Fixtures.Catalog, prices, Pm);
            var pb = MarginEngine.Evaluate(rebuilt with { Mode = MarginMode.Portfolio }, Fixtures.Catalog, prices, Pm);
            var calc = new MarginCalculator(rebuilt, Fixtures.Catalog, prices);
            return a.Equity == b.Equity && a.Maintenance == b.Maintenance && a.Initial == b.Initial
                && pa.Maintenance == pb.Maintenance && Near(calc.Equity, a.Equity) && Near(calc.Maintenance, a.Maintenance);
        });
    }

    [Fact]
    public void Incremental_ticks_should_agree_with_a_full_recompute()
    {
        PropertyRunner.ForAllSeeds(200, seed =>
        {
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Cross);
            var calc = new MarginCalculator(account, Fixtures.Catalog, prices);
            var rng = new System.Random(seed);
            for (var t = 0; t < 20 && calc.Count > 0; t++)
            {
                var k = rng.Next(calc.Count);
                var id = account.Positions.Keys.ElementAt(k);
                var mark = prices.Mark(id) * (1m + (rng.Next(-3_000, 3_001) / 100_000m));
                mark = decimal.Round(mark, 1);
                calc.UpdateMark(k, mark);
                prices = prices.WithMark(id, mark);
                var full = MarginEngine.Evaluate(account, Fixtures.Catalog, prices);
                // Exact for linear contracts; inverse contracts divide, so allow the last of decimal's 28 digits.
                if (!Near(full.Equity, calc.Equity) || !Near(full.Maintenance, calc.Maintenance) || !Near(full.Initial, calc.Initial) || !Near(full.Notional, calc.Notional))
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Prices_inside_the_risk_bands_should_never_change_the_state()
    {
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var mode = (MarginMode)(seed % 3);
            var (account, prices) = RandomBooks.Account(seed, mode);
            var config = Fixtures.Config with { Portfolio = Pm };
            var previous = (RiskState)(seed / 3 % 6);
            var bands = RiskBands.Compute(account, Fixtures.Catalog, prices, config, previous);
            var rng = new System.Random(seed);
            var (down, up) = AdverseCorners(account, prices, bands);
            for (var trial = 0; trial < 14; trial++)
            {
                var moved = trial switch { 12 => down, 13 => up, _ => prices };
                for (var k = 0; trial < 12 && k < bands.Marks.Count; k++)
                {
                    var (id, band) = bands.Marks.ElementAt(k);
                    moved = moved.WithMark(id, Pick(rng, band, trial));
                }

                for (var k = 0; trial < 12 && k < bands.AssetPrices.Count; k++)
                {
                    var (asset, band) = bands.AssetPrices.ElementAt(k);
                    moved = moved.WithPrice(asset, Pick(rng, band, trial));
                }

                var state = MarginEngine.State(MarginEngine.Evaluate(account, Fixtures.Catalog, moved, Pm), previous, config.Thresholds);
                if (state != bands.State)
                {
                    return false;
                }
            }

            return true;
        });
    }

    /// <summary>
    /// The two corners of the band box where every price sits on the side that lowers (raises) equity − MM, judged
    /// one price at a time: all prices moving against the account at once, where a missing term in the bound shows.
    /// </summary>
    private static (MarketPrices Down, MarketPrices Up) AdverseCorners(Account account, MarketPrices prices, RiskBandSet bands)
    {
        decimal Slack(MarketPrices p)
        {
            var r = MarginEngine.Evaluate(account, Fixtures.Catalog, p, Pm);
            return r.Equity - r.Maintenance;
        }

        var (down, up) = (prices, prices);
        foreach (var (id, band) in bands.Marks)
        {
            var highHurts = Slack(prices.WithMark(id, band.High)) < Slack(prices.WithMark(id, band.Low));
            down = down.WithMark(id, highHurts ? band.High : band.Low);
            up = up.WithMark(id, highHurts ? band.Low : band.High);
        }

        foreach (var (asset, band) in bands.AssetPrices)
        {
            var highHurts = Slack(prices.WithPrice(asset, band.High)) < Slack(prices.WithPrice(asset, band.Low));
            down = down.WithPrice(asset, highHurts ? band.High : band.Low);
            up = up.WithPrice(asset, highHurts ? band.Low : band.High);
        }

        return (down, up);
    }

    private static bool Near(decimal a, decimal b) => Math.Abs(a - b) <= 0.000000000000001m;

    /// <summary>Band corners on the first trials (where the bound is tight), then uniform interior points.</summary>
    private static decimal Pick(System.Random rng, PriceBand band, int trial) => trial switch
    {
        0 => band.Low,
        1 => band.High,
        < 4 => rng.Next(2) == 0 ? band.Low : band.High,
        _ => band.Low + ((band.High - band.Low) * rng.Next(0, 1_000_001) / 1_000_000m),
    };

    [Fact]
    public void Bands_should_be_wider_for_a_safer_account()
    {
        var risky = Fixtures.Account("a", MarginMode.Cross, [("USDT", 2_000m)], [("BTCUSDT", 1m, 50_000m)]);
        var safe = Fixtures.Account("a", MarginMode.Cross, [("USDT", 20_000m)], [("BTCUSDT", 1m, 50_000m)]);
        var r = RiskBands.Compute(risky, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy);
        var s = RiskBands.Compute(safe, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy);
        Assert.True(s.RelativeWidth > r.RelativeWidth);
        Assert.True(r.Marks["BTCUSDT"].Contains(50_000m));
    }
}
