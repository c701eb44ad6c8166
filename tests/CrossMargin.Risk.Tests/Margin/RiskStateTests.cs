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
}
