namespace CrossMargin.Actors;

/// <summary>Keyed timers owned by one actor; cancelled automatically when it stops or restarts.</summary>
/// <remarks>A message from a cancelled or replaced timer is never delivered, even if it was already queued.</remarks>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="msg"/> to Self once after <paramref name="timeout"/>; replaces a timer with the same key.</summary>
    void StartSingleTimer(object key, object msg, TimeSpan timeout);

    /// <summary>Sends <paramref name="msg"/> to Self every <paramref name="interval"/>; replaces a timer with the same key.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> after <paramref name="initialDelay"/> and then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>True while the timer with <paramref name="key"/> is scheduled.</summary>
    bool IsTimerActive(object key);

    /// <summary>Cancels the timer with <paramref name="key"/>.</summary>
    void Cancel(object key);

    /// <summary>Cancels all timers.</summary>
    void CancelAll();
}

/// <summary>Implement on an actor to get <see cref="Timers"/>; set by the kernel after the constructor, before PreStart.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers; set by the kernel.</summary>
    ITimerScheduler Timers { get; set; }
}

internal sealed class TimerMessage(object key, int generation, object message, bool periodic) : INotInfluenceReceiveTimeout
{
    public object Key { get; } = key;
    public int Generation { get; } = generation;
    public object Message { get; } = message;
    public bool Periodic { get; } = periodic;
}

internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, (int Generation, ICancelable Task)> _timers = new();
    private int _generation;

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, null);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => Start(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval) => Start(key, msg, initialDelay, interval);

    private void Start(object key, object msg, TimeSpan delay, TimeSpan? interval)
    {
        Cancel(key);
        var gen = ++_generation;
        var tm = new TimerMessage(key, gen, msg, interval.HasValue);
        var scheduler = cell.System.Scheduler;
        var task = interval.HasValue
            ? scheduler.ScheduleTellRepeatedlyCancelable(delay, interval.Value, cell.Self, tm, cell.Self)
            : scheduler.ScheduleTellOnceCancelable(delay, cell.Self, tm, cell.Self);
        _timers[key] = (gen, task);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var t)) t.Task.Cancel();
    }

    public void CancelAll()
    {
        foreach (var t in _timers.Values) t.Task.Cancel();
        _timers.Clear();
    }

    /// <summary>Returns the payload when the timer message is current; removes single timers once delivered.</summary>
    public object? Accept(TimerMessage tm)
    {
        if (!_timers.TryGetValue(tm.Key, out var t) || t.Generation != tm.Generation) return null;
        if (!tm.Periodic) _timers.Remove(tm.Key);
        return tm.Message;
    }
}
