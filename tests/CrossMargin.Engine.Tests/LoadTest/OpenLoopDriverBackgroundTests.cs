using CrossMargin.Engine.LoadTest;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

/// <summary>
/// Background work between ticks (the load test's spread cascade rounds) on a virtual clock: it fills idle time, is
/// never starved when the engine is behind, and its time shows in the latency of the ticks that wait for it.
/// </summary>
public sealed class OpenLoopDriverBackgroundTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void Background_work_should_run_while_no_tick_is_due_and_leave_ticks_on_time()
    {
        // 100 ticks/s (one every 10 ms), 1 ms per tick, 40 units of 2 ms of background work: they all fit in the gaps.
        var clock = new VirtualLoadClock();
        var left = 40;
        var latencies = new List<long>();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(100, TimeSpan.FromSeconds(1)), clock)
        {
            OnLatency = (_, l) => latencies.Add(l),
            Background = () =>
            {
                if (left == 0)
                {
                    return false;
                }

                left--;
                clock.Advance(2 * Ms);
                return true;
            },
        };
        var result = driver.Run((_, _) => clock.Advance(Ms), CancellationToken.None);
        Assert.Equal(0, left);
        Assert.Equal(40, driver.BackgroundRuns);
        Assert.Equal(100, result.Processed);

        // A unit started just before a tick falls due delays it by at most one unit (2 ms) plus its own 1 ms.
        Assert.All(latencies, l => Assert.InRange(l, Ms, 3 * Ms));
    }

    [Fact]
    public void Background_work_should_still_get_its_turn_when_ticks_alone_saturate_the_engine()
    {
        // 1,000 ticks/s at 2 ms a tick: always behind. With a 10 ms interval the background runs about every 10 ms.
        var clock = new VirtualLoadClock();
        var runs = new List<long>();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(1_000, TimeSpan.FromMilliseconds(200)), clock)
        {
            BackgroundIntervalNanos = 10 * Ms,
            Background = () =>
            {
                runs.Add(clock.NowNanos);
                clock.Advance(Ms);
                return true;
            },
        };
        var result = driver.Run((_, _) => clock.Advance(2 * Ms), CancellationToken.None);
        Assert.Equal(200, result.Processed);
        Assert.True(runs.Count >= 30, $"background ran {runs.Count} times over {clock.NowNanos / Ms} ms");
        for (var i = 1; i < runs.Count; i++)
        {
            // Never more often than the interval, never starved much past it (one tick of 2 ms can come in between).
            Assert.InRange(runs[i] - runs[i - 1], 10 * Ms, 13 * Ms);
        }
    }

    [Fact]
    public void Background_work_should_count_in_the_latency_of_a_tick_that_waits_for_it()
    {
        // 10 ticks/s, 1 ms per tick. After tick 0 (0 → 1 ms) nothing is due until 100 ms, so one 150 ms unit of background
        // work runs in that gap and ends at 151 ms: tick 1 (due at 100 ms) waits for it, its latency is 51 ms + its own 1 ms.
        var clock = new VirtualLoadClock();
        var done = false;
        var latencies = new List<long>();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(10, TimeSpan.FromSeconds(1)), clock)
        {
            OnLatency = (_, l) => latencies.Add(l),
            Background = () =>
            {
                if (done)
                {
                    return false;
                }

                done = true;
                clock.Advance(150 * Ms);
                return true;
            },
        };
        driver.Run((_, _) => clock.Advance(Ms), CancellationToken.None);
        Assert.Equal(Ms, latencies[0]);
        Assert.Equal(52 * Ms, latencies[1]);
        Assert.All(latencies.Skip(2), l => Assert.Equal(Ms, l));
    }
}
