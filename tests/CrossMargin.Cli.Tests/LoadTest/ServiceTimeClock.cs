using CrossMargin.Engine.LoadTest;

namespace CrossMargin.Cli.Tests.LoadTest;

/// <summary>
/// Virtual time for load-test runs driven through the CLI: every read of <see cref="NowNanos"/> moves time forward by a
/// fixed "service time", and a wait jumps straight to its target. A run's schedule therefore takes no wall-clock time, and
/// the engine's pace in virtual time is set by how often the driver reads the clock (about two reads per tick), not by the
/// machine's load. Observers (the journal's timing on its writer thread, fill timing) read <see cref="PeekNanos"/>, which
/// does not advance, so the journal's idle hand-off (batches handed over whenever the journal is idle, as in real runs)
/// does not perturb the engine's virtual pace. Optionally cancels a token once virtual time passes a mark (a Ctrl-C at
/// a chosen instant, without a real signal). Thread-safe.
/// </summary>
internal sealed class ServiceTimeClock(long nanosPerRead) : ILoadClock
{
    private long _now;
    private int _cancelled;

    /// <summary>When set, cancelled (once) by the first read at or after <see cref="CancelAtNanos"/>.</summary>
    public CancellationTokenSource? CancelSource { get; init; }

    /// <summary>Virtual instant of the simulated Ctrl-C, ns from the clock's origin (the runner's start is near 0).</summary>
    public long CancelAtNanos { get; init; } = long.MaxValue;

    public long NowNanos
    {
        get
        {
            var now = Interlocked.Add(ref _now, nanosPerRead);
            if (now >= CancelAtNanos && CancelSource is { } cts && Interlocked.Exchange(ref _cancelled, 1) == 0)
            {
                cts.Cancel();
            }

            return now;
        }
    }

    /// <summary>Observers (journal timing on the writer's thread, fill timing) read without advancing: observing is not engine work.</summary>
    public long PeekNanos => Volatile.Read(ref _now);

    public void WaitUntil(long nanos, CancellationToken cancellationToken)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _now);
            if (current >= nanos)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _now, nanos, current) != current);
    }
}
