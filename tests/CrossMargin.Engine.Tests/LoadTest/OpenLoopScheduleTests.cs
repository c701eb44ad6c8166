using CrossMargin.Engine.LoadTest;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

public sealed class OpenLoopScheduleTests
{
    [Fact]
    public void A_constant_rate_should_schedule_tick_i_at_i_over_the_rate()
    {
        var s = OpenLoopSchedule.Constant(1_000, TimeSpan.FromSeconds(2));
        Assert.Equal(2_000, s.TotalTicks);
        Assert.Equal(0, s.ScheduledNanos(0));
        Assert.Equal(1_000_000, s.ScheduledNanos(1));
        Assert.Equal(1_999_000_000, s.ScheduledNanos(1_999));
        Assert.Equal(1, s.DueBy(0));
        Assert.Equal(1, s.DueBy(999_999));
        Assert.Equal(2, s.DueBy(1_000_000));
        Assert.Equal(0, s.DueBy(-1));
        Assert.Equal(2_000, s.DueBy(10_000_000_000));
    }

    [Fact]
    public void A_rate_that_does_not_divide_a_second_should_not_drift()
    {
        var s = OpenLoopSchedule.Constant(3, TimeSpan.FromSeconds(10));
        Assert.Equal(30, s.TotalTicks);
        Assert.Equal(333_333_333, s.ScheduledNanos(1));
        Assert.Equal(666_666_666, s.ScheduledNanos(2));
        Assert.Equal(1_000_000_000, s.ScheduledNanos(3));
        Assert.Equal(9_666_666_666, s.ScheduledNanos(29));
    }

    [Fact]
    public void Steps_should_start_where_the_previous_one_ended_at_their_own_rate()
    {
        var s = new OpenLoopSchedule([new RatePhase(10, 1_000_000_000), new RatePhase(100, 1_000_000_000), new RatePhase(1_000, 500_000_000)]);
        Assert.Equal(10 + 100 + 500, s.TotalTicks);
        Assert.Equal(10, s.FirstTickOf(1));
        Assert.Equal(110, s.FirstTickOf(2));
        Assert.Equal(900_000_000, s.ScheduledNanos(9));
        Assert.Equal(1_000_000_000, s.ScheduledNanos(10));
        Assert.Equal(1_010_000_000, s.ScheduledNanos(11));
        Assert.Equal(2_000_000_000, s.ScheduledNanos(110));
        Assert.Equal(2, s.PhaseOf(110));
        Assert.Equal(1, s.PhaseOf(109));
    }

    [Fact]
    public void DueBy_should_agree_with_the_scheduled_times_for_random_schedules()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var rng = new Random(seed);
            var phases = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => new RatePhase(rng.Next(1, 50_000), rng.NextInt64(1_000_000, 2_000_000_000))).ToList();
            var s = new OpenLoopSchedule(phases);
            for (var k = 0; k < 200 && s.TotalTicks > 0; k++)
            {
                var i = rng.NextInt64(0, s.TotalTicks);
                var t = s.ScheduledNanos(i);
                Assert.True(s.DueBy(t) >= i + 1, $"seed {seed}: tick {i} at {t} not due by its own time");
                Assert.True(s.DueBy(t - 1) <= i, $"seed {seed}: tick {i} due before {t}");
                if (i + 1 < s.TotalTicks)
                {
                    Assert.True(s.ScheduledNanos(i + 1) >= t);
                }
            }
        }
    }

    [Fact]
    public void A_schedule_should_refuse_a_rate_below_one_or_no_phase()
    {
        Assert.Throws<ArgumentException>(() => new OpenLoopSchedule([]));
        Assert.Throws<ArgumentException>(() => new OpenLoopSchedule([new RatePhase(0, 1_000_000_000)]));
        Assert.Throws<ArgumentException>(() => new OpenLoopSchedule([new RatePhase(10, 10)]));
    }
}
