using CrossMargin.Risk.Events;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Properties;

/// <summary>
/// The partial-liquidation planner cuts the fewest lots that restore the exit level. Its lot search starts from a
/// linear guess between no cut and the largest allowed cut; these properties pin that the answer is still the
/// smallest: with the last order one lot smaller the account is not at the exit level, with it as planned it is.
/// </summary>
public class PlannerMinimalityProperties
{
    [Fact]
    public void A_restoring_partial_plan_should_cut_the_last_position_by_the_fewest_lots()
    {
        decimal[] ratios = [0.7m, 0.8m, 0.9m, 0.95m, 0.99m];
        var checkedPlans = 0;
        PropertyRunner.ForAllSeeds(300, seed =>
        {
            var (account, prices) = RandomBooks.Account(seed, MarginMode.Cross);
            var near = RandomBooks.NearRatio(account, prices, ratios[seed % ratios.Length], null);
            if (near is null)
            {
                return true;
            }

            var config = Fixtures.Config;
            var plan = LiquidationPlanner.Plan(account, Fixtures.Catalog, near, config, RiskState.Liquidating);
            if (plan.Kind != LiquidationKind.Partial || !plan.RestoresExitLevel)
            {
                return true;
            }

            checkedPlans++;
            var before = plan.Orders.Take(plan.Orders.Length - 1).Aggregate(account, (a, o) => Fill(a, o.InstrumentId, o.SizeDelta, near, config));
            var last = plan.Orders[^1];
            var lot = Fixtures.Catalog.Instrument(last.InstrumentId).LotSize;
            var oneLess = last.SizeDelta - (Math.Sign(last.SizeDelta) * lot);
            var planned = Fill(before, last.InstrumentId, last.SizeDelta, near, config);
            var smaller = oneLess == 0m ? before : Fill(before, last.InstrumentId, oneLess, near, config);
            return AtExit(planned, near, config) && !AtExit(smaller, near, config);
        });

        Assert.True(checkedPlans > 20, $"only {checkedPlans} restoring partial plans were generated");
    }

    /// <summary>Executes a cut at the mark with the planner's expected fee.</summary>
    private static Account Fill(Account a, string instrument, decimal delta, MarketPrices prices, RiskConfig config)
    {
        var spec = Fixtures.Catalog.Instrument(instrument);
        var mark = prices.Mark(instrument);
        var fee = PositionMath.Notional(spec, delta, mark) * config.LiquidationFeeRate;
        return AccountFold.Apply(a, new PositionFilled(instrument, delta, mark, fee), Fixtures.Catalog);
    }

    private static bool AtExit(Account a, MarketPrices prices, RiskConfig config)
    {
        var r = MarginEngine.Evaluate(a, Fixtures.Catalog, prices);
        return RiskStateMachine.AtExitLevel(r.Equity, r.Maintenance, r.Notional, config.Thresholds);
    }
}
