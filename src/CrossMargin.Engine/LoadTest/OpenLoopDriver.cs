namespace CrossMargin.Engine.LoadTest;

/// <summary>Figures of one phase (one rate step) of an open-loop run.</summary>
/// <param name="Phase">Phase index.</param>
/// <param name="OfferedRate">Scheduled ticks per second.</param>
/// <param name="Ticks">Ticks processed in the phase.</param>
/// <param name="AchievedRate">Ticks processed ÷ time from the phase's start to its last completion.</param>
/// <param name="Latency">Scheduled time → processed, ns.</param>
/// <param name="BacklogAtEnd">Ticks already due but not processed when the phase's last tick completed.</param>
/// <param name="LagAtEndNanos">Latency of the phase's last tick (how far behind schedule the engine ended the phase).</param>
public sealed record PhaseResult(int Phase, long OfferedRate, long Ticks, double AchievedRate, LatencyHistogram Latency, long BacklogAtEnd, long LagAtEndNanos);

/// <summary>Latency of the ticks scheduled within one second of the run.</summary>
/// <param name="Second">Second of the schedule (0 = the first).</param>
/// <param name="Ticks">Ticks scheduled in that second and processed.</param>
/// <param name="P50Nanos">Median latency.</param>
/// <param name="P99Nanos">99th percentile.</param>
/// <param name="MaxNanos">Largest latency.</param>
public readonly record struct LatencyInterval(long Second, long Ticks, long P50Nanos, long P99Nanos, long MaxNanos);

/// <summary>Where an open-loop run is, for live progress.</summary>
/// <param name="Processed">Ticks processed.</param>
/// <param name="Due">Ticks due by now.</param>
/// <param name="Phase">Current phase.</param>
/// <param name="ElapsedNanos">Time since the start.</param>
/// <param name="LastLatencyNanos">Latency of the last tick processed.</param>
public readonly record struct DriverStatus(long Processed, long Due, int Phase, long ElapsedNanos, long LastLatencyNanos);

/// <summary>What an open-loop run produced.</summary>
/// <param name="Processed">Ticks processed.</param>
/// <param name="Stopped">True when cancelled (partial): injection stopped after the tick in progress.</param>
/// <param name="Latency">Every tick's latency from its scheduled time, ns.</param>
/// <param name="Phases">Per phase, in order (only phases that started).</param>
/// <param name="Intervals">Per second of the schedule.</param>
/// <param name="ElapsedNanos">Start → last completion.</param>
/// <param name="SaturatedAtPhase">The phase whose check failed (step-up), or null.</param>
/// <param name="BacklogAtStop">When cancelled: ticks that were due but never processed.</param>
public sealed record DriverResult(long Processed, bool Stopped, LatencyHistogram Latency, IReadOnlyList<PhaseResult> Phases, IReadOnlyList<LatencyInterval> Intervals, long ElapsedNanos, int? SaturatedAtPhase, long BacklogAtStop);

/// <summary>
/// Runs an <see cref="OpenLoopSchedule"/>: processes tick <c>i</c> once it is due (never before), back to back when
/// behind, and records its latency from its <em>scheduled</em> time — so a stall delays, and shows in, every tick that
/// fell due during it. The engine is the single consumer; ticks "sent" but not processed are the backlog.
/// </summary>
/// <remarks>
/// <see cref="Run"/> runs on the calling thread (the load test calls it on a dedicated thread-pool worker). Recording
/// allocates nothing per tick. Cancellation stops injecting after the tick in progress; ticks already due but not
/// processed are reported as <see cref="DriverResult.BacklogAtStop"/> (draining a saturated engine's backlog could take
/// longer than the run).
/// </remarks>
public sealed class OpenLoopDriver
{
    private readonly OpenLoopSchedule _schedule;
    private readonly ILoadClock _clock;

    /// <summary>Creates a driver over <paramref name="schedule"/> timed by <paramref name="clock"/>.</summary>
    public OpenLoopDriver(OpenLoopSchedule schedule, ILoadClock clock)
    {
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Called after each tick with (tick, latency ns); for tests and extra recorders. Must not block.</summary>
    public Action<long, long>? OnLatency { get; init; }

    /// <summary>Decides at each phase end whether to go on (step-up's saturation check); null always goes on.</summary>
    public Func<PhaseResult, bool>? ContinueAfterPhase { get; init; }

    /// <summary>Receives a status about every <see cref="StatusIntervalNanos"/> (on the driver's thread).</summary>
    public Action<DriverStatus>? OnStatus { get; init; }

    /// <summary>
    /// Work done between ticks (the load test's cascade rounds), one bounded unit per call; returns false when it had
    /// nothing to do. Called while no tick is due, and while behind schedule at least every
    /// <see cref="BackgroundIntervalNanos"/> (so it is never starved); its time counts in the latency of every tick that
    /// waits for it. Null: none.
    /// </summary>
    public Func<bool>? Background { get; init; }

    /// <summary>While behind schedule, <see cref="Background"/> still runs when this long passed since it last ran; 5 ms by default.</summary>
    public long BackgroundIntervalNanos { get; init; } = 5_000_000;

    /// <summary>Units of <see cref="Background"/> work done (calls that returned true).</summary>
    public long BackgroundRuns { get; private set; }

    /// <summary>Pace of <see cref="OnStatus"/>; 200 ms by default.</summary>
    public long StatusIntervalNanos { get; init; } = 200_000_000;

    /// <summary>Runs the schedule; <paramref name="process"/>(tick, scheduled ns from start) does the work of one tick.</summary>
    public DriverResult Run(Action<long, long> process, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        var total = new LatencyHistogram();
        var phaseHist = new LatencyHistogram();
        var second = new LatencyHistogram();
        var phases = new List<PhaseResult>();
        var intervals = new List<LatencyInterval>();
        var start = _clock.NowNanos;
        var stopAt = _schedule.TotalTicks;
        var stopped = false;
        int? saturated = null;
        var phase = 0;
        var phaseEnd = _schedule.FirstTickOf(1);
        long currentSecond = 0, lastLatency = 0, done = 0, nextStatus = StatusIntervalNanos, backlogAtStop = 0, lastBackground = 0;
        long next = 0;
        while (next < stopAt)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // Stop injecting at once: the tick in progress has completed; ticks already due are left as the backlog.
                stopped = true;
                backlogAtStop = Math.Max(0, _schedule.DueBy(_clock.NowNanos - start) - next);
                break;
            }

            var scheduled = _schedule.ScheduledNanos(next);
            var now = _clock.NowNanos - start;
            if (now < scheduled)
            {
                if (Background is { } idle && idle())
                {
                    BackgroundRuns++;
                    lastBackground = _clock.NowNanos - start;
                    continue;
                }

                _clock.WaitUntil(start + scheduled, cancellationToken);
                continue;
            }

            if (Background is { } behind && now - lastBackground >= BackgroundIntervalNanos)
            {
                // Behind schedule: ticks come first, but the background work gets its turn every interval.
                lastBackground = now;
                if (behind())
                {
                    BackgroundRuns++;
                    continue;
                }
            }

            var tickSecond = scheduled / 1_000_000_000;
            if (tickSecond != currentSecond)
            {
                CloseSecond(intervals, second, currentSecond);
                currentSecond = tickSecond;
            }

            process(next, scheduled);
            done = _clock.NowNanos - start;
            lastLatency = done - scheduled;
            total.Record(lastLatency);
            phaseHist.Record(lastLatency);
            second.Record(lastLatency);
            OnLatency?.Invoke(next, lastLatency);
            next++;
            if (OnStatus is not null && done >= nextStatus)
            {
                nextStatus = done + StatusIntervalNanos;
                OnStatus(new DriverStatus(next, _schedule.DueBy(done), phase, done, lastLatency));
            }

            if (next == phaseEnd)
            {
                var result = EndPhase(phase, phaseHist, done, lastLatency);
                phases.Add(result);
                phaseHist = new LatencyHistogram();
                if (ContinueAfterPhase is { } check && next < stopAt && !check(result))
                {
                    saturated = phase;
                    stopAt = next;
                }

                phase++;
                if (phase < _schedule.Phases.Count)
                {
                    phaseEnd = _schedule.FirstTickOf(phase + 1);
                }
            }
        }

        if (phaseHist.Count > 0)
        {
            phases.Add(EndPhase(phase, phaseHist, done, lastLatency));
        }

        CloseSecond(intervals, second, currentSecond);
        OnStatus?.Invoke(new DriverStatus(next, _schedule.DueBy(done), Math.Min(phase, _schedule.Phases.Count - 1), done, lastLatency));
        return new DriverResult(next, stopped, total, phases, intervals, done, saturated, backlogAtStop);
    }

    private PhaseResult EndPhase(int phase, LatencyHistogram latency, long done, long lastLatency)
    {
        var begin = _schedule.StartOf(phase);
        var span = Math.Max(1, done - begin);
        var backlog = Math.Max(0, _schedule.DueBy(done) - (_schedule.FirstTickOf(phase) + latency.Count));
        return new PhaseResult(phase, _schedule.Phases[phase].Rate, latency.Count, latency.Count * 1e9 / span, latency, backlog, lastLatency);
    }

    private static void CloseSecond(List<LatencyInterval> intervals, LatencyHistogram second, long index)
    {
        if (second.Count == 0)
        {
            return;
        }

        intervals.Add(new LatencyInterval(index, second.Count, second.Percentile(50), second.Percentile(99), second.Max));
        second.Reset();
    }
}
