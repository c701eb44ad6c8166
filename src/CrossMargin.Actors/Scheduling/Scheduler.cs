using System.Collections.Concurrent;

namespace CrossMargin.Actors;

/// <summary>A handle to cancel a scheduled task.</summary>
public interface ICancelable
{
    /// <summary>Cancels; a message not yet sent will not be sent. Idempotent and thread-safe.</summary>
    void Cancel();

    /// <summary>True once cancelled.</summary>
    bool IsCancellationRequested { get; }
}

/// <summary>Scheduling of actions (not messages); see <see cref="IScheduler.Advanced"/>.</summary>
public interface IAdvancedScheduler
{
    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> (on a timer thread, or the advancing thread for virtual time).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/>.</summary>
    ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action);
}

/// <summary>
/// The system scheduler, driven by the system's <see cref="TimeProvider"/> (virtual in deterministic systems and tests).
/// All scheduled tasks are cancelled when the system terminates.
/// </summary>
public interface IScheduler
{
    /// <summary>The scheduler's current time.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Action scheduling.</summary>
    IAdvancedScheduler Advanced { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/>.</summary>
    void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>As <see cref="ScheduleTellOnce"/>, returning a handle to cancel.</summary>
    ICancelable ScheduleTellOnceCancelable(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>As <see cref="ScheduleTellRepeatedly"/>, returning a handle to cancel.</summary>
    ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);
}

internal sealed class TimeProviderScheduler(TimeProvider clock) : IScheduler, IAdvancedScheduler
{
    private readonly ConcurrentDictionary<ScheduledTask, byte> _live = new();
    private volatile bool _shutdown;

    public DateTimeOffset Now => clock.GetUtcNow();

    public IAdvancedScheduler Advanced => this;

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTellOnceCancelable(delay, receiver, message, sender);

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender) =>
        ScheduleTellRepeatedlyCancelable(initialDelay, interval, receiver, message, sender);

    public ICancelable ScheduleTellOnceCancelable(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        Schedule(delay, null, () => receiver.Tell(message, sender));

    public ICancelable ScheduleTellRepeatedlyCancelable(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "interval must be positive");
        return Schedule(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Schedule(delay, null, action);

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "interval must be positive");
        return Schedule(initialDelay, interval, action);
    }

    private ScheduledTask Schedule(TimeSpan delay, TimeSpan? interval, Action action)
    {
        var task = new ScheduledTask(this, action, interval.HasValue);
        if (_shutdown)
        {
            task.Cancel();
            return task;
        }
        _live[task] = 0;
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        task.Timer = clock.CreateTimer(static s => ((ScheduledTask)s!).Fire(), task, delay, interval ?? Timeout.InfiniteTimeSpan);
        if (task.IsCancellationRequested) task.Timer.Dispose(); // cancelled (or fired once) before the timer was stored
        return task;
    }

    /// <summary>Cancels everything (system termination).</summary>
    public void Shutdown()
    {
        _shutdown = true;
        foreach (var t in _live.Keys) t.Cancel();
    }

    private sealed class ScheduledTask(TimeProviderScheduler owner, Action action, bool repeating) : ICancelable
    {
        private int _cancelled;
        public ITimer? Timer;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Fire()
        {
            if (IsCancellationRequested) return;
            if (!repeating) Cancel();
            action();
        }

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) != 0) return;
            Timer?.Dispose();
            owner._live.TryRemove(this, out _);
        }
    }
}
