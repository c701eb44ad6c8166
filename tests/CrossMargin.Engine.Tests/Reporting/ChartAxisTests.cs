using CrossMargin.Engine.Reporting.Charts;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class ChartAxisTests
{
    [Fact]
    public void Nice_ticks_should_enclose_the_range_with_round_steps()
    {
        var ticks = ChartAxis.NiceTicks(61_234, 118_900);

        Assert.Equal([60_000d, 80_000, 100_000, 120_000], ticks);
    }

    [Fact]
    public void Nice_ticks_should_widen_a_flat_range()
    {
        var ticks = ChartAxis.NiceTicks(5, 5);

        Assert.True(ticks[0] < 5 && ticks[^1] > 5);
    }

    [Fact]
    public void Time_ticks_should_fall_on_whole_clock_steps_inside_the_range()
    {
        var start = new DateTimeOffset(2025, 10, 10, 21, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        var ticks = ChartAxis.TimeTicks(start + 0.4, start + 599.9);

        Assert.Equal(Enumerable.Range(1, 4).Select(i => (double)(start + (i * 120))), ticks);
    }

    [Fact]
    public void Escape_should_make_text_safe_for_xml()
    {
        Assert.Equal("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", Svg.Escape("a <b> & \"c\" 'd'\u0001"));
    }
}
