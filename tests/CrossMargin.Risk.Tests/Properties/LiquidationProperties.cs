using CrossMargin.Risk.Events;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk.Tests.Properties;

public class LiquidationProperties
{
    private static RiskConfig ConfigFor(int seed)
    {
        var rng = new System.Random(seed ^ 0x5EED);
        var ranking = (AdlRanking)rng.Next(3);
        LiquidationStrategy[] strategies = [LiquidationStrategy.OneShot, LiquidationStrategy.Dydx, LiquidationStrategy.Hyperliquid, new("cap", MaxNotionalPerRound: 50_000m)];
        return Fixtures.Config with
        {
            Strategy = strategies[rng.Next(strategies.Length)],
            Waterfall = LossWaterfallConfig.Default with { Ranking = ranking, UseInsuranceFund = rng.Next(4) != 0, FeeToInsuranceShare = rng.Next(2) == 0 ? 1m : 0.5m },
        };
    }

    private static (Book Before, Book After, MarketPrices Prices, List<(string Id, LiquidationRun Run)> Runs) LiquidateEveryone(int seed)
    {
        var (book, prices) = RandomBooks.Create(seed, withIsolated: seed % 3 == 0);
        var config = ConfigFor(seed);
        var before = book;
        var runs = new List<(string, LiquidationRun)>();
        foreach (var id in book.Accounts.Keys.Where(k => k.StartsWith("acc", StringComparison.Ordinal)).ToList())
        {
            var run = LiquidationRunner.Run(book, Fixtures.Catalog, prices, config, id, RiskState.Healthy, RandomBooks.Maker);
            runs.Add((id, run));
            book = run.Book;
        }

        return (before, book, prices, runs);
    }

    [Fact]
    public void Money_should_be_conserved_through_liquidation_fees_insurance_fund_and_ADL()
    {
        PropertyRunner.ForAllSeeds(150, seed =>
        {
            var (before, after, prices, _) = LiquidateEveryone(seed);
            return before.TotalValue(Fixtures.Catalog, prices) == after.TotalValue(Fixtures.Catalog, prices);
        });
    }

    [Fact]
    public void Long_open_interest_should_equal_short_open_interest_after_ADL()
    {
        PropertyRunner.ForAllSeeds(150, seed =>
        {
            var (_, after, _, runs) = LiquidateEveryone(seed);
            return new[] { "BTCUSDT", "ETHUSDT" }.All(i => after.OpenInterest(i) is var (l, s) && l == s);
        });
    }

    [Fact]
    public void A_liquidated_account_should_end_at_the_exit_level_or_bankrupt_with_its_whole_loss_assigned()
    {
        PropertyRunner.ForAllSeeds(150, seed =>
        {
            var (_, after, prices, runs) = LiquidateEveryone(seed);
            var config = ConfigFor(seed);
            foreach (var (id, run) in runs)
            {
                if (run.Waterfalls.Any(w => w.Unassigned != 0m))
                {
                    return false;
                }

                var a = run.Book.Account(id);
                var r = MarginEngine.Evaluate(a, Fixtures.Catalog, prices, config.Portfolio);
                // Final state was classified with hysteresis: below Liquidating means the exit level was reached.
                var ok = run.FinalState < RiskState.Liquidating && (a.Mode == MarginMode.Isolated
                    ? a.Positions.Values.All(p => p.Size != 0m || p.IsolatedMargin >= 0m)
                    : run.Waterfalls.IsEmpty || (a.Positions.IsEmpty && r.Equity >= 0m));
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Fact]
    public void A_portfolio_liquidation_order_should_never_lower_the_margin_excess()
    {
        var pm = new Risk.Portfolio.PortfolioMarginConfig([new Risk.Portfolio.CorrelationGroup("majors", ["BTC", "ETH"], 0.12m)]).Validate();
        var config = Fixtures.Config with { Portfolio = pm };
        PropertyRunner.ForAllSeeds(150, seed =>
        {
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Portfolio);
            var plan = LiquidationPlanner.Plan(account, Fixtures.Catalog, prices, config, RiskState.Liquidating);
            if (plan.Kind != LiquidationKind.Partial)
            {
                return true; // a close-out removes every position; the order of its legs is immaterial
            }

            decimal Excess(Account a)
            {
                var r = MarginEngine.Evaluate(a, Fixtures.Catalog, prices, pm);
                return r.Equity - RiskStateMachine.ExitLevel(r.Maintenance, r.Notional, config.Thresholds);
            }

            var current = account;
            foreach (var o in plan.Orders)
            {
                var next = AccountFold.Apply(current, new PositionFilled(o.InstrumentId, o.SizeDelta, o.ReferencePrice, o.ExpectedFee), Fixtures.Catalog);
                if (Excess(next) < Excess(current))
                {
                    return false;
                }

                current = next;
            }

            return true;
        });
    }

    [Fact]
    public void A_liquidation_order_should_never_increase_risk()
    {
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Cross);
            var config = Fixtures.Config with { Strategy = seed % 2 == 0 ? LiquidationStrategy.OneShot : LiquidationStrategy.Dydx };
            var before = MarginEngine.Evaluate(account, Fixtures.Catalog, prices);
            var plan = LiquidationPlanner.Plan(account, Fixtures.Catalog, prices, config, RiskState.Liquidating);
            var current = account;
            var prev = before;
            foreach (var o in plan.Orders)
            {
                current = AccountFold.Apply(current, new PositionFilled(o.InstrumentId, o.SizeDelta, o.ReferencePrice, o.ExpectedFee), Fixtures.Catalog);
                var next = MarginEngine.Evaluate(current, Fixtures.Catalog, prices);
                if (next.Maintenance > prev.Maintenance || next.Equity - next.Maintenance < prev.Equity - prev.Maintenance)
                {
                    return false;
                }

                prev = next;
            }

            return true;
        });
    }
}
