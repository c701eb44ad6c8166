using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Liquidation;

public class LiquidationPlannerTests
{
    // Wallet 30,000, long 10 BTC from 50,000, mark 47,300: equity 3,000 < MM 3,430 (bracket 3) → Liquidating.
    private static readonly Account Account = Fixtures.WithPositions("a", MarginMode.Cross, 30_000m, Position.Open(Fixtures.BtcUsdt, 10m, 50_000m));
    private static readonly MarketPrices Crash = Fixtures.Prices(btc: 47_300m);

    [Fact]
    public void Partial_liquidation_should_cut_the_fewest_lots_that_restore_the_exit_level()
    {
        // Drift-style sizing Δq = shortfall / (P·(MR − fee)) with MR = MMR + 2% buffer, evaluated in the bracket the
        // remaining notional lands in (bracket 2: 0.5%, cum 50): (0.025·473,000 − 50 − 3,000)/(47,300·(0.025 − 0.003))
        // = 8.43263… → 8.433 BTC after rounding UP to the 0.001 lot.
        var expected = ((0.025m * 473_000m) - 50m - 3_000m) / (47_300m * (0.025m - 0.003m));
        var plan = LiquidationPlanner.Plan(Account, Fixtures.Catalog, Crash, Fixtures.Config, RiskState.Healthy);
        Assert.Equal(LiquidationKind.Partial, plan.Kind);
        Assert.Equal(-Rounding.Up(expected, 0.001m), plan.Orders.Single().SizeDelta);
        Assert.Equal(-8.433m, plan.Orders.Single().SizeDelta);
        Assert.True(plan.RestoresExitLevel);
        Assert.True(plan.EquityAfter >= plan.ExitLevelAfter);
    }

    [Fact]
    public void One_lot_less_should_not_restore_the_exit_level()
    {
        var less = Risk.Events.AccountFold.Apply(Account, new Risk.Events.PositionFilled("BTCUSDT", -8.432m, 47_300m, 8.432m * 47_300m * 0.003m), Fixtures.Catalog);
        var r = Risk.Margin.MarginEngine.Evaluate(less, Fixtures.Catalog, Crash);
        Assert.False(RiskStateMachine.AtExitLevel(r.Equity, r.Maintenance, r.Notional, Fixtures.Config.Thresholds));
    }

    [Fact]
    public void A_fraction_cap_should_limit_the_round_and_say_the_level_is_not_restored()
    {
        var config = Fixtures.Config with { Strategy = LiquidationStrategy.Dydx };
        var plan = LiquidationPlanner.Plan(Account, Fixtures.Catalog, Crash, config, RiskState.Healthy);
        Assert.Equal(-1m, plan.Orders.Single().SizeDelta); // 10% of 10 BTC
        Assert.False(plan.RestoresExitLevel);
    }

    [Fact]
    public void A_notional_cap_should_round_down_to_the_lot()
    {
        var config = Fixtures.Config with { Strategy = new LiquidationStrategy("cap", MaxNotionalPerRound: 100_000m) };
        var plan = LiquidationPlanner.Plan(Account, Fixtures.Catalog, Crash, config, RiskState.Healthy);
        Assert.Equal(-2.114m, plan.Orders.Single().SizeDelta); // 100,000 / 47,300 = 2.11416…
    }

    [Fact]
    public void A_healthy_account_should_get_no_orders_and_a_bankrupt_one_a_close_out()
    {
        Assert.Equal(LiquidationKind.None, LiquidationPlanner.Plan(Account, Fixtures.Catalog, Fixtures.Prices(), Fixtures.Config, RiskState.Healthy).Kind);
        var bust = LiquidationPlanner.Plan(Account, Fixtures.Catalog, Fixtures.Prices(btc: 46_000m), Fixtures.Config, RiskState.Healthy);
        Assert.Equal(LiquidationKind.CloseOut, bust.Kind);
        Assert.Equal(-10m, bust.Orders.Single().SizeDelta);
    }
}
