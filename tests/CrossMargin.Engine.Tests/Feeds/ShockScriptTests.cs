using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Tests.Feeds;

public sealed class ShockScriptTests
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BTC_minus_25_percent_over_10_minutes_should_fall_linearly_from_start_to_target()
    {
        var script = ShockScript.Move("BTC-PERP", 60_000m, T0, -25m, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), 0.1m);
        var ticks = script.Ticks().ToList();
        Assert.Equal(601, ticks.Count);
        Assert.Equal(new Tick("BTC-PERP", T0, 60_000m), ticks[0]);
        Assert.Equal(new Tick("BTC-PERP", T0.AddMinutes(5), 52_500m), ticks[300]);
        Assert.Equal(new Tick("BTC-PERP", T0.AddMinutes(10), 45_000m), ticks[^1]);
        Assert.Equal(59_975m, ticks[1].Price);
        Assert.Equal(T0.AddMinutes(10), script.EndTime);
    }

    [Fact]
    public void Flash_crash_should_recover_the_given_share_of_the_drop()
    {
        var script = ShockScript.FlashCrashRecovery(
            "BTC-PERP", 60_000m, T0, 20m, TimeSpan.FromMinutes(2), 0.5m, TimeSpan.FromMinutes(8), TimeSpan.FromSeconds(10), 0.1m);
        var ticks = script.Ticks().ToList();
        Assert.Equal(1 + 12 + 48, ticks.Count);
        Assert.Equal(48_000m, ticks[12].Price);
        Assert.Equal(ticks.Min(t => t.Price), ticks[12].Price);
        Assert.Equal(54_000m, ticks[^1].Price);
    }

    [Fact]
    public void Composed_scripts_should_merge_by_time_then_instrument_and_reach_their_targets()
    {
        TimeSpan step = TimeSpan.FromSeconds(30);
        var source = new ScriptedShockSource(
        [
            ShockScript.Move("SOL-PERP", 200m, T0, -30m, TimeSpan.FromMinutes(10), step, 0.001m),
            ShockScript.Move("BTC-PERP", 60_000m, T0, -15m, TimeSpan.FromMinutes(10), step, 0.1m),
            new ShockScript("USDE", 1m, T0, step, 0.0001m, [ShockLeg.ToPrice(0.65m, TimeSpan.FromMinutes(5)), ShockLeg.Hold(TimeSpan.FromMinutes(5))]),
        ]);
        var ticks = source.Ticks().ToList();
        Assert.Equal(3 * 21, ticks.Count);
        Assert.Equal(["BTC-PERP", "SOL-PERP", "USDE"], ticks.Take(3).Select(t => t.Instrument));
        for (int i = 1; i < ticks.Count; i++)
        {
            Assert.True(
                ticks[i].Time > ticks[i - 1].Time
                || (ticks[i].Time == ticks[i - 1].Time && string.CompareOrdinal(ticks[i].Instrument, ticks[i - 1].Instrument) > 0));
        }

        Assert.Equal(0.65m, ticks.Last(t => t.Instrument == "USDE").Price);
        Assert.Equal(0.65m, ticks.Single(t => t.Instrument == "USDE" && t.Time == T0.AddMinutes(5)).Price);
        Assert.Equal(140m, ticks.Last(t => t.Instrument == "SOL-PERP").Price);
        Assert.Equal(51_000m, ticks.Last(t => t.Instrument == "BTC-PERP").Price);
    }

    [Fact]
    public void Prices_should_be_rounded_to_the_tick_size()
    {
        var ticks = ShockScript.Move("X", 100m, T0, -10m, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 1m).Ticks().ToList();
        Assert.Equal([100m, 97m, 93m, 90m], ticks.Select(t => t.Price));
    }

    [Fact]
    public void A_leg_that_is_not_a_whole_number_of_intervals_should_be_refused()
    {
        var error = Assert.Throws<ArgumentException>(
            () => ShockScript.Move("BTC-PERP", 60_000m, T0, -25m, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 0.1m));
        Assert.Contains("leg 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_move_of_minus_100_percent_or_more_should_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShockLeg.ByPercent(-100m, TimeSpan.FromMinutes(1)));
    }
}
