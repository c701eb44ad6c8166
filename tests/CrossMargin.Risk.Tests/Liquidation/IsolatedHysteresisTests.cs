using System.Collections.Immutable;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Liquidation;

/// <summary>Review issue 3, item 1: hysteresis is per isolated position; one position's liquidation never reaches the others.</summary>
public class IsolatedHysteresisTests
{
    // BTC: long 1 at 50,000 with 1,000 isolated margin, marked 49,150 → equity 150 < MM 196.6 (0.4% of 49,150).
    // ETH: long 10 at 3,000 with 500 isolated margin, marked 3,000 → equity 500 vs MM 265 (1% of 30,000 − cum 35):
    // healthy on its own (1.89 × MM) although below its exit level 265 + 2% × 30,000 = 865.
    private static readonly MarketPrices Prices = Fixtures.Prices(btc: 49_150m, eth: 3_000m);

    private static Account TwoIsolated()
    {
        var a = Fixtures.Account("iso", MarginMode.Isolated, [("USDT", 1_500m)], []);
        a = AccountFold.Apply(a, new IsolatedMarginAssigned("BTCUSDT", 1_000m), Fixtures.Catalog);
        a = AccountFold.Apply(a, new IsolatedMarginAssigned("ETHUSDT", 500m), Fixtures.Catalog);
        a = AccountFold.Apply(a, new PositionFilled("BTCUSDT", 1m, 50_000m, 0m), Fixtures.Catalog);
        return AccountFold.Apply(a, new PositionFilled("ETHUSDT", 10m, 3_000m, 0m), Fixtures.Catalog);
    }

    [Fact]
    public void The_reproduction_should_have_the_reviewed_figures()
    {
        var r = MarginEngine.Evaluate(TwoIsolated(), Fixtures.Catalog, Prices);
        Assert.Equal((150m, 196.6m), (r.Positions[0].IsolatedEquity!.Value, r.Positions[0].Maintenance));
        Assert.Equal((500m, 265m), (r.Positions[1].IsolatedEquity!.Value, r.Positions[1].Maintenance));
    }

    [Fact]
    public void An_account_level_Liquidating_should_not_cut_a_healthy_isolated_position()
    {
        // Before the fix the account's single previous state was applied to ETH too and cut it by 4.507.
        var plan = LiquidationPlanner.Plan(TwoIsolated(), Fixtures.Catalog, Prices, Fixtures.Config, RiskState.Liquidating);
        Assert.Equal(["BTCUSDT"], plan.Orders.Select(o => o.InstrumentId));
    }

    [Fact]
    public void Per_position_previous_states_should_drive_each_isolated_positions_hysteresis()
    {
        var account = TwoIsolated();
        var risk = MarginEngine.Evaluate(account, Fixtures.Catalog, Prices);
        var btcOnly = ImmutableDictionary<string, RiskState>.Empty.Add("BTCUSDT", RiskState.Liquidating);
        var states = MarginEngine.PositionStates(risk, btcOnly, Fixtures.Config.Thresholds);
        Assert.Equal(RiskState.Liquidating, states["BTCUSDT"]);
        Assert.Equal(RiskState.Healthy, states["ETHUSDT"]);
        Assert.Equal(["BTCUSDT"], LiquidationPlanner.Plan(account, Fixtures.Catalog, Prices, Fixtures.Config, RiskState.Liquidating, btcOnly).Orders.Select(o => o.InstrumentId));

        // ETH's own Liquidating history does keep it Liquidating below its exit level (865), and only it is then cut.
        var ethWasLiquidating = ImmutableDictionary<string, RiskState>.Empty.Add("ETHUSDT", RiskState.Liquidating);
        var calm = Fixtures.Prices(btc: 50_000m, eth: 3_000m);
        var calmRisk = MarginEngine.Evaluate(account, Fixtures.Catalog, calm);
        Assert.Equal(RiskState.Liquidating, MarginEngine.State(calmRisk, RiskState.Healthy, ethWasLiquidating, Fixtures.Config.Thresholds));
        var plan = LiquidationPlanner.Plan(account, Fixtures.Catalog, calm, Fixtures.Config, RiskState.Healthy, ethWasLiquidating);
        Assert.Equal(["ETHUSDT"], plan.Orders.Select(o => o.InstrumentId));
    }

    [Fact]
    public void After_a_partial_cut_the_liquidated_position_should_keep_its_hysteresis_and_the_healthy_one_should_stay_untouched()
    {
        // BTC partly cut so it is back above MM (raw ReduceOnly or better) but below its exit level: the account-level
        // previous goes to the worst raw position (BTC), never to ETH.
        var a = AccountFold.Apply(TwoIsolated(), new PositionFilled("BTCUSDT", -0.2m, 49_150m, 0m), Fixtures.Catalog);
        var risk = MarginEngine.Evaluate(a, Fixtures.Catalog, Prices);
        var implied = MarginEngine.PreviousByPosition(risk, RiskState.Liquidating, Fixtures.Config.Thresholds);
        Assert.Equal(RiskState.Liquidating, implied["BTCUSDT"]);
        Assert.Equal(RiskState.Healthy, implied["ETHUSDT"]);
        Assert.Equal(RiskState.Liquidating, MarginEngine.State(risk, RiskState.Liquidating, Fixtures.Config.Thresholds));
        Assert.DoesNotContain(LiquidationPlanner.Plan(a, Fixtures.Catalog, Prices, Fixtures.Config, RiskState.Liquidating).Orders, o => o.InstrumentId == "ETHUSDT");
    }
}
