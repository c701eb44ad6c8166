using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Tests.Margin;

public class RiskStateTests
{
    private static readonly RiskThresholds T = RiskThresholds.Default;

    [Theory]
    [InlineData(200, 100, RiskState.Healthy)]
    [InlineData(149, 100, RiskState.Warning)]
    [InlineData(119, 100, RiskState.ReduceOnly)]
    [InlineData(99, 100, RiskState.Liquidating)]
    [InlineData(100, 100, RiskState.Liquidating)]
    [InlineData(101, 100, RiskState.ReduceOnly)]
    [InlineData(60, 100, RiskState.Backstop)]
    [InlineData(0, 100, RiskState.Bankrupt)]
    [InlineData(-1, 0, RiskState.Bankrupt)]
    [InlineData(0, 0, RiskState.Healthy)]
    public void Raw_state_should_follow_the_equity_to_MM_bands(int equity, int mm, RiskState expected)
    {
        // Bands after Binance PM uniMMR (150% / 120% / 105–100%), backstop at ⅔ MM after Hyperliquid.
        Assert.Equal(expected, RiskStateMachine.Raw(equity, mm, T));
    }

    [Fact]
    public void Leaving_liquidation_should_need_MM_plus_the_exit_buffer()
    {
        // MM 100, notional 10,000, buffer 2% → exit level 300 (Drift: MM + 2% of notional).
        Assert.Equal(RiskState.Liquidating, RiskStateMachine.Classify(250m, 100m, 10_000m, RiskState.Liquidating, T));
        Assert.Equal(RiskState.Healthy, RiskStateMachine.Classify(300m, 100m, 10_000m, RiskState.Liquidating, T));
        Assert.Equal(RiskState.Healthy, RiskStateMachine.Classify(250m, 100m, 10_000m, RiskState.Healthy, T));
    }

    [Fact]
    public void Inconsistent_thresholds_should_be_refused()
    {
        Assert.Throws<Risk.Errors.RiskInputException>(() => new RiskThresholds(WarningRatio: 1.1m, ReduceOnlyRatio: 1.2m).Validate());
        Assert.Throws<Risk.Errors.RiskInputException>(() => new RiskThresholds(BackstopRatio: 1.5m).Validate());
    }

    [Fact]
    public void Equity_exactly_at_MM_should_liquidate_and_not_count_as_the_exit_level()
    {
        // Review issue 3, item 7: Binance liquidates at a margin ratio MM/equity ≥ 100%, so equity = MM is Liquidating,
        // even when warning-ratio = liquidation-ratio, and a zero exit buffer is not reached at equity = MM.
        var flat = new RiskThresholds(WarningRatio: 1m, ReduceOnlyRatio: 1m, LiquidationRatio: 1m, ExitBufferRate: 0m).Validate();
        Assert.Equal(RiskState.Liquidating, RiskStateMachine.Raw(100m, 100m, flat));
        Assert.Equal(RiskState.Healthy, RiskStateMachine.Raw(101m, 100m, flat));
        Assert.False(RiskStateMachine.AtExitLevel(100m, 100m, 5_000m, flat));
        Assert.True(RiskStateMachine.AtExitLevel(100.01m, 100m, 5_000m, flat));
        Assert.Equal(RiskState.Liquidating, RiskStateMachine.Classify(100m, 100m, 5_000m, RiskState.Healthy, T));
    }

    [Fact]
    public void A_planner_should_act_on_an_account_whose_equity_equals_its_MM()
    {
        // 1 BTC long from 50,000 with wallet W, marked 40,000: equity = W − 10,000 and MM = 40,000 × 0.4% = 160,
        // so W = 10,160 puts equity exactly at MM (margin ratio 100%).
        var account = Support.Fixtures.WithPositions("a", Risk.Model.MarginMode.Cross, 10_160m, Risk.Model.Position.Open(Support.Fixtures.BtcUsdt, 1m, 50_000m));
        var prices = Support.Fixtures.Prices(btc: 40_000m);
        var risk = Risk.Margin.MarginEngine.Evaluate(account, Support.Fixtures.Catalog, prices);
        Assert.Equal(risk.Maintenance, risk.Equity);
        Assert.Equal(1m, risk.MarginRatio);
        Assert.Equal(RiskState.Liquidating, Risk.Margin.MarginEngine.State(risk, RiskState.Healthy, T));
        var plan = Risk.Liquidation.LiquidationPlanner.Plan(account, Support.Fixtures.Catalog, prices, Support.Fixtures.Config, RiskState.Healthy);
        Assert.NotEmpty(plan.Orders);
    }
}
