using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Market;

public sealed class DepthThinningTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);
    private static readonly DepthThinningParameters Parameters = new(Floor: 0.02m, DrawdownAtFloor: 0.2m, LiquidationVolumeAtFloor: 1_000m, Window: TimeSpan.FromHours(1));

    [Fact]
    public void A_calm_market_should_keep_the_full_depth()
    {
        var depth = new DepthThinning(Parameters);
        depth.ObservePrice(T0, 100m);
        depth.ObservePrice(T0.AddMinutes(1), 101m);
        Assert.Equal(1m, depth.DepthFactor);
        Assert.Equal(0m, depth.Drawdown);
    }

    [Fact]
    public void A_drawdown_of_half_the_floor_drawdown_should_thin_depth_half_way()
    {
        var depth = new DepthThinning(Parameters);
        depth.ObservePrice(T0, 100m);
        depth.ObservePrice(T0.AddMinutes(5), 90m);
        Assert.Equal(0.1m, depth.Drawdown);
        Assert.Equal(0.51m, depth.DepthFactor);
        depth.ObservePrice(T0.AddMinutes(6), 70m);
        Assert.Equal(0.02m, depth.DepthFactor);
    }

    [Fact]
    public void Liquidations_should_thin_depth_until_they_leave_the_window()
    {
        var depth = new DepthThinning(Parameters);
        depth.ObservePrice(T0, 100m);
        depth.ObserveLiquidation(T0.AddMinutes(1), 500m);
        Assert.Equal(0.51m, depth.DepthFactor);
        depth.Advance(T0.AddMinutes(62));
        Assert.Equal(0m, depth.LiquidatedVolume);
        Assert.Equal(1m, depth.DepthFactor);
    }

    [Fact]
    public void The_high_should_expire_with_the_window()
    {
        var depth = new DepthThinning(Parameters);
        depth.ObservePrice(T0, 100m);
        depth.ObservePrice(T0.AddMinutes(30), 90m);
        depth.ObservePrice(T0.AddMinutes(90), 90m);
        Assert.Equal(0m, depth.Drawdown);
    }

    [Fact]
    public void Time_going_backwards_should_be_refused()
    {
        var depth = new DepthThinning(Parameters);
        depth.ObservePrice(T0, 100m);
        Assert.Throws<ArgumentException>(() => depth.ObservePrice(T0.AddSeconds(-1), 100m));
    }
}
