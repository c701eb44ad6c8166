namespace CrossMargin.Engine.LoadTest;

/// <summary>One constant-rate stretch of an open-loop schedule.</summary>
/// <param name="Rate">Ticks per second, ≥ 1.</param>
/// <param name="DurationNanos">Length of the stretch in nanoseconds, ≥ 1 ms.</param>
public readonly record struct RatePhase(long Rate, long DurationNanos);

/// <summary>
/// When each tick of an open-loop run is due, fixed before the run starts and independent of how fast the engine
/// goes: within phase <c>k</c> (rate <c>r</c>, starting at <c>T_k</c> with <c>N_k</c> ticks before it) tick <c>i</c>
/// is due at <c>T_k + ⌊(i − N_k) · 10⁹ / r⌋</c> ns. Latencies are measured from these times, so a stall delays every
/// tick that falls due during it (no coordinated omission). Immutable and thread-safe.
/// </summary>
public sealed class OpenLoopSchedule
{
    private readonly RatePhase[] _phases;
    private readonly long[] _startNanos;   // T_k
    private readonly long[] _firstTick;    // N_k

    /// <summary>Builds the schedule from its phases, in order.</summary>
    /// <exception cref="ArgumentException">No phase, a rate below 1 or a phase shorter than 1 ms.</exception>
    public OpenLoopSchedule(IReadOnlyList<RatePhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Count == 0)
        {
            throw new ArgumentException("a schedule needs at least one phase", nameof(phases));
        }

        _phases = [.. phases];
        _startNanos = new long[_phases.Length + 1];
        _firstTick = new long[_phases.Length + 1];
        for (var k = 0; k < _phases.Length; k++)
        {
            var p = _phases[k];
            if (p.Rate < 1 || p.DurationNanos < 1_000_000)
            {
                throw new ArgumentException($"phase {k}: rate {p.Rate}/s and duration {p.DurationNanos} ns; accepted rate >= 1 and duration >= 1 ms", nameof(phases));
            }

            _startNanos[k + 1] = _startNanos[k] + p.DurationNanos;
            _firstTick[k + 1] = _firstTick[k] + TicksIn(p.Rate, p.DurationNanos);
        }
    }

    /// <summary>A single constant-rate phase.</summary>
    public static OpenLoopSchedule Constant(long rate, TimeSpan duration) => new([new RatePhase(rate, (long)duration.TotalNanoseconds)]);

    /// <summary>The phases.</summary>
    public IReadOnlyList<RatePhase> Phases => _phases;

    /// <summary>Ticks in the whole schedule.</summary>
    public long TotalTicks => _firstTick[^1];

    /// <summary>Length of the whole schedule in nanoseconds.</summary>
    public long DurationNanos => _startNanos[^1];

    /// <summary>Index of the first tick of phase <paramref name="phase"/> (the tick count when <paramref name="phase"/> = number of phases).</summary>
    public long FirstTickOf(int phase) => _firstTick[phase];

    /// <summary>Start of phase <paramref name="phase"/>, ns from the run's start.</summary>
    public long StartOf(int phase) => _startNanos[phase];

    /// <summary>The phase tick <paramref name="tick"/> belongs to.</summary>
    public int PhaseOf(long tick)
    {
        if (tick < 0 || tick >= TotalTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, $"accepted 0..{TotalTicks - 1}");
        }

        var k = Array.BinarySearch(_firstTick, 0, _phases.Length, tick);
        return k >= 0 ? k : ~k - 1;
    }

    /// <summary>When tick <paramref name="tick"/> is due, ns from the run's start.</summary>
    public long ScheduledNanos(long tick)
    {
        var k = PhaseOf(tick);
        return _startNanos[k] + OffsetNanos(tick - _firstTick[k], _phases[k].Rate);
    }

    /// <summary>How many ticks are due (scheduled at or before) <paramref name="elapsedNanos"/> after the start.</summary>
    public long DueBy(long elapsedNanos)
    {
        if (elapsedNanos < 0)
        {
            return 0;
        }

        if (elapsedNanos >= DurationNanos)
        {
            return TotalTicks;
        }

        var k = Array.BinarySearch(_startNanos, 0, _phases.Length, elapsedNanos);
        k = k >= 0 ? k : ~k - 1;
        var into = elapsedNanos - _startNanos[k];
        var n = Math.Min(TicksIn(_phases[k].Rate, into + 1), _firstTick[k + 1] - _firstTick[k]);
        return _firstTick[k] + n;
    }

    // Ticks j ≥ 0 with offset(j) < span, i.e. ⌈span · r / 10⁹⌉, computed without overflow for any realistic span.
    private static long TicksIn(long rate, long spanNanos) =>
        (long)(((Int128)spanNanos * rate + 999_999_999) / 1_000_000_000);

    private static long OffsetNanos(long index, long rate) => (long)((Int128)index * 1_000_000_000 / rate);
}
