namespace CrossMargin.Actors;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when <see cref="Advance"/>/<see cref="AdvanceTo"/> is called.
/// Timers fire synchronously on the advancing thread, in due-time order (ties in creation order), so runs are reproducible.
/// Thread-safe.
/// </summary>
public class VirtualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly PriorityQueue<(VirtualTimer Timer, long Version), (long Due, long Seq)> _queue = new();
    private long _nowTicks;
    private long _seq;

    /// <summary>Creates a clock starting at <paramref name="start"/> (default 2000-01-01T00:00:00Z).</summary>
    public VirtualTimeProvider(DateTimeOffset? start = null) =>
        _nowTicks = (start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return new DateTimeOffset(_nowTicks, TimeSpan.Zero);
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate) return _nowTicks;
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The due time of the next active timer, or null when none.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_gate)
            {
                DropStale();
                return _queue.TryPeek(out _, out var p) ? new DateTimeOffset(p.Due, TimeSpan.Zero) : null;
            }
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer due up to the new time.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delta), delta, "time cannot go backwards");
        AdvanceTo(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock to <paramref name="target"/> (no-op when in the past), firing due timers in order.</summary>
    public virtual void AdvanceTo(DateTimeOffset target)
    {
        var targetTicks = target.UtcTicks;
        while (true)
        {
            VirtualTimer timer;
            lock (_gate)
            {
                DropStale();
                if (!_queue.TryPeek(out var entry, out var prio) || prio.Due > targetTicks)
                {
                    if (targetTicks > _nowTicks) _nowTicks = targetTicks;
                    return;
                }
                _queue.Dequeue();
                timer = entry.Timer;
                if (prio.Due > _nowTicks) _nowTicks = prio.Due;
                if (timer.PeriodTicks > 0) Arm(timer, prio.Due + timer.PeriodTicks);
                else timer.Active = false;
            }
            timer.Fire();
        }
    }

    private void DropStale()
    {
        while (_queue.TryPeek(out var e, out _) && (!e.Timer.Active || e.Timer.Version != e.Version)) _queue.Dequeue();
    }

    private void Arm(VirtualTimer timer, long due)
    {
        timer.Version++;
        timer.Active = true;
        _queue.Enqueue((timer, timer.Version), (due, _seq++));
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long Version;
        public bool Active;
        public long PeriodTicks;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                PeriodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Active = false;
                    Version++;
                    return true;
                }
                var due = owner._nowTicks + Math.Max(0, dueTime.Ticks);
                owner.Arm(this, due);
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                Active = false;
                Version++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
