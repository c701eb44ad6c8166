using System.Diagnostics;

namespace CrossMargin.Engine.LoadTest;

/// <summary>The clock an open-loop run is timed by, in nanoseconds from an arbitrary origin.</summary>
public interface ILoadClock
{
    /// <summary>Now, in nanoseconds (monotonic).</summary>
    long NowNanos { get; }

    /// <summary>Returns once <see cref="NowNanos"/> ≥ <paramref name="nanos"/> or <paramref name="cancellationToken"/> is cancelled (no exception).</summary>
    void WaitUntil(long nanos, CancellationToken cancellationToken);

    /// <summary>
    /// Now, read by an observer (journal timing on the writer's thread, fill timing) rather than by the work being
    /// timed. A real clock returns <see cref="NowNanos"/>; a test clock that models service time by its reads returns
    /// its current value without advancing it, so observing does not slow the simulated engine down. Thread-safe.
    /// </summary>
    long PeekNanos => NowNanos;
}

/// <summary>Real time from <see cref="Stopwatch"/>: sleeps while the target is more than 2 ms away, then yields.</summary>
public sealed class StopwatchLoadClock : ILoadClock
{
    /// <inheritdoc />
    public long NowNanos => (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <inheritdoc />
    public void WaitUntil(long nanos, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var left = nanos - NowNanos;
            if (left <= 0)
            {
                return;
            }

            // A sleep overshoots by about a millisecond on Linux: sleep only when that cannot matter, then yield.
            if (left > 2_000_000)
            {
                Thread.Sleep(TimeSpan.FromTicks((left - 1_500_000) / 100));
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}

/// <summary>Virtual time for tests: it moves only by <see cref="Advance"/> and by waits (which jump to their target).</summary>
public sealed class VirtualLoadClock : ILoadClock
{
    /// <inheritdoc />
    public long NowNanos { get; private set; }

    /// <summary>Moves time forward by <paramref name="nanos"/> (a simulated service time or stall).</summary>
    public void Advance(long nanos) => NowNanos += Math.Max(0, nanos);

    /// <inheritdoc />
    public void WaitUntil(long nanos, CancellationToken cancellationToken) => NowNanos = Math.Max(NowNanos, nanos);
}
