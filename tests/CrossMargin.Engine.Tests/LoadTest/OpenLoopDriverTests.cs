using CrossMargin.Engine.LoadTest;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

/// <summary>The driver on a virtual clock: service times and stalls are clock advances, so every latency is exact.</summary>
public sealed class OpenLoopDriverTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void An_engine_faster_than_the_rate_should_see_its_service_time_as_latency()
    {
        var clock = new VirtualLoadClock();
        var latencies = new List<long>();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(1_000, TimeSpan.FromSeconds(1)), clock) { OnLatency = (_, l) => latencies.Add(l) };
        var result = driver.Run((_, _) => clock.Advance(100_000), CancellationToken.None);
        Assert.Equal(1_000, result.Processed);
        Assert.All(latencies, l => Assert.Equal(100_000, l));
        Assert.False(result.Stopped);
        Assert.Single(result.Phases);
        Assert.Equal(0, result.Phases[0].BacklogAtEnd);
    }

    [Fact]
    public void A_stall_should_count_against_every_tick_that_fell_due_during_it()
    {
        // 1,000 ticks/s, 0.1 ms per tick, tick 100 stalls 200 ms: tick 100 completes at 300 ms; tick j > 100 then completes at
        // 300 + 0.1·(j − 100) ms against a schedule of j ms, until the backlog is gone (j = 322).
        var clock = new VirtualLoadClock();
        var latencies = new long[1_000];
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(1_000, TimeSpan.FromSeconds(1)), clock) { OnLatency = (i, l) => latencies[i] = l };
        var result = driver.Run((i, _) => clock.Advance(i == 100 ? 200 * Ms : 100_000), CancellationToken.None);
        Assert.Equal(200 * Ms, latencies[100]);
        for (var j = 101; j <= 322; j++)
        {
            Assert.Equal((300_000_000 + ((j - 100) * 100_000)) - (j * Ms), latencies[j]);
        }

        Assert.Equal(100_000, latencies[323]);
        Assert.Equal(112, latencies.Count(l => l >= 100 * Ms)); // a closed-loop measure (send → reply) would show one slow tick
        Assert.True(result.Latency.Percentile(90) >= 10 * Ms, $"p90 {result.Latency.Percentile(90)}");
        Assert.Equal(200 * Ms, result.Latency.Max);
    }

    [Fact]
    public void Cancelling_should_stop_injecting_after_the_tick_in_progress_and_count_the_ticks_left_due()
    {
        var clock = new VirtualLoadClock();
        using var cts = new CancellationTokenSource();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(1_000, TimeSpan.FromSeconds(1)), clock);
        var result = driver.Run((i, _) =>
        {
            // Tick 10 takes 5 ms and Ctrl-C arrives meanwhile: ticks 11..15 are due by then and are left unprocessed.
            clock.Advance(i == 10 ? 5 * Ms : 1_000);
            if (i == 10)
            {
                cts.Cancel();
            }
        }, cts.Token);
        Assert.True(result.Stopped);
        Assert.Equal(11, result.Processed);
        Assert.Equal(5, result.BacklogAtStop);
        Assert.Equal(11, result.Latency.Count);
    }

    [Fact]
    public void Step_up_should_stop_after_the_first_step_that_fails_its_check()
    {
        var clock = new VirtualLoadClock();
        var schedule = new OpenLoopSchedule([new RatePhase(100, 1_000 * Ms), new RatePhase(200, 1_000 * Ms), new RatePhase(400, 1_000 * Ms), new RatePhase(800, 1_000 * Ms)]);
        var driver = new OpenLoopDriver(schedule, clock) { ContinueAfterPhase = p => p.Latency.Percentile(99) <= 4 * Ms };
        // Service time 3 ms: keeps up with 100 and 200 ticks/s (10 and 5 ms apart), falls behind at 400/s (2.5 ms apart).
        var result = driver.Run((_, _) => clock.Advance(3 * Ms), CancellationToken.None);
        Assert.Equal(2, result.SaturatedAtPhase);
        Assert.Equal(3, result.Phases.Count);
        Assert.Equal(100 + 200 + 400, result.Processed);
        Assert.True(result.Phases[2].BacklogAtEnd > 0);
        Assert.Equal(0, result.Phases[1].BacklogAtEnd);
    }

    [Fact]
    public void Latency_per_second_should_follow_the_scheduled_second()
    {
        var clock = new VirtualLoadClock();
        var driver = new OpenLoopDriver(OpenLoopSchedule.Constant(10, TimeSpan.FromSeconds(3)), clock);
        var result = driver.Run((i, _) => clock.Advance(i < 10 ? Ms : 2 * Ms), CancellationToken.None);
        Assert.Equal([0L, 1, 2], result.Intervals.Select(i => i.Second));
        Assert.Equal(Ms, result.Intervals[0].MaxNanos);
        Assert.Equal(2 * Ms, result.Intervals[2].P50Nanos);
    }
}
