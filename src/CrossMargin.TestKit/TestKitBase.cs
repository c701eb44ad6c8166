using System.Collections.Concurrent;
using System.Diagnostics;
using CrossMargin.Actors;
using Xunit.Sdk;

namespace CrossMargin.TestKit;

/// <summary>
/// The assertion API shared by <see cref="TestKit"/> and <see cref="TestProbe"/>: an inbox (<see cref="TestActor"/>)
/// and Expect*/Receive* methods that wait on it. All maximum durations are dilated by the time factor.
/// Use one thread per probe at a time.
/// </summary>
public abstract class TestKitBase
{
    private readonly BlockingCollection<(object Message, IActorRef? Sender)> _queue = new();
    private readonly FunctionRef _ref;
    private TimeSpan? _end; // Within deadline as Stopwatch time
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IActorRef? _lastSender;

    private protected TestKitBase(ActorSystem system, TestKitSettings settings, string? name)
    {
        Sys = system;
        TestKitSettings = settings;
        _ref = system.CreateFunctionRef((m, s) =>
        {
            try
            {
                _queue.Add((m, s));
            }
            catch (InvalidOperationException)
            {
                // The kit was disposed (inbox completed) while a late sender raced it. Throwing here would fail the
                // sending actor or kill a timer thread; the message is simply dropped.
            }
        }, name);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>Timing settings.</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>This kit's inbox ref; the implicit sender of <c>Tell</c>s made for the test.</summary>
    public IActorRef TestActor => _ref;

    /// <summary>The sender of the last message received by an Expect*/Receive* call (DeadLetters when none).</summary>
    public IActorRef LastSender => _lastSender ?? Sys.DeadLetters;

    /// <summary>Same as <see cref="LastSender"/>.</summary>
    public IActorRef Sender => LastSender;

    /// <summary>Number of messages waiting in the inbox.</summary>
    public int HasMessages => _queue.Count;

    /// <summary>Scales <paramref name="duration"/> by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    /// <summary>Time left in the current <see cref="Within(TimeSpan, Action)"/> block, or the dilated single-expect default.</summary>
    public TimeSpan RemainingOrDefault => _end is { } e ? Max(e - _clock.Elapsed, TimeSpan.Zero) : Dilated(TestKitSettings.SingleExpectDefault);

    private TimeSpan RemainingOrDilated(TimeSpan? max)
    {
        if (max is not { } m) return RemainingOrDefault;
        if (m == Timeout.InfiniteTimeSpan) return m;
        var d = Dilated(m);
        return _end is { } e ? Min(d, Max(e - _clock.Elapsed, TimeSpan.Zero)) : d;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Watches <paramref name="actor"/>; its <see cref="Terminated"/> arrives in this inbox.</summary>
    public IActorRef Watch(IActorRef actor) => _ref.Watch(actor);

    /// <summary>Stops watching <paramref name="actor"/>.</summary>
    public IActorRef Unwatch(IActorRef actor) => _ref.Unwatch(actor);

    /// <summary>Replies to <see cref="LastSender"/> with this inbox as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, TestActor);

    /// <summary>Forwards <paramref name="message"/> (default: the last received one) to <paramref name="target"/>, keeping <see cref="LastSender"/> as sender.</summary>
    public void Forward(IActorRef target, object? message = null) => target.Tell(message ?? _lastMessage ?? throw new InvalidOperationException("No message received yet to forward."), LastSender);

    private object? _lastMessage;

    /// <summary>Receives one message within <paramref name="max"/>, or null on timeout. On a deterministic system the loop runs first.</summary>
    public object? ReceiveOne(TimeSpan? max = null)
    {
        var wait = RemainingOrDilated(max);
        return TryReceive(wait, out var m) ? m : null;
    }

    private bool TryReceive(TimeSpan wait, out object? message)
    {
        if (Sys.IsDeterministic)
        {
            // A deterministic system only moves when driven: run it, then the inbox holds everything that will come.
            if (_queue.Count == 0) Sys.RunUntilIdle();
            wait = TimeSpan.Zero;
        }
        var ms = wait == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(int.MaxValue, Math.Ceiling(wait.TotalMilliseconds));
        if (_queue.TryTake(out var item, ms))
        {
            _lastMessage = item.Message;
            _lastSender = item.Sender;
            message = item.Message;
            return true;
        }
        message = null;
        return false;
    }

    private object ReceiveOrFail(TimeSpan? max, string expectation)
    {
        var wait = RemainingOrDilated(max);
        if (!TryReceive(wait, out var m))
            throw new XunitException($"Timeout ({wait.TotalMilliseconds} ms) while waiting for {expectation}");
        return m!;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> within <paramref name="duration"/>; returns it.</summary>
    public T ExpectMsg<T>(TimeSpan? duration = null, string? hint = null)
    {
        var m = ReceiveOrFail(duration, $"a message of type {typeof(T).Name}{Hint(hint)}");
        if (m is T t) return t;
        throw new XunitException($"Expected a message of type {typeof(T).Name}{Hint(hint)} but got {Describe(m)}");
    }

    /// <summary>Expects a message equal to <paramref name="message"/>.</summary>
    public T ExpectMsg<T>(T message, TimeSpan? timeout = null, string? hint = null) where T : notnull
    {
        var m = ReceiveOrFail(timeout, $"{message}{Hint(hint)}");
        if (m is T t && Equals(t, message)) return t;
        throw new XunitException($"Expected {Describe(message)}{Hint(hint)} but got {Describe(m)}");
    }

    /// <summary>Expects a <typeparamref name="T"/> satisfying <paramref name="isMessage"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null)
    {
        var t = ExpectMsg<T>(timeout, hint);
        if (!isMessage(t)) throw new XunitException($"Message {Describe(t)} did not match the predicate{Hint(hint)}");
        return t;
    }

    /// <summary>Expects a <typeparamref name="T"/> and runs <paramref name="assert"/> on it (its exception fails the test).</summary>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null)
    {
        var t = ExpectMsg<T>(timeout, hint);
        assert(t);
        return t;
    }

    /// <summary>Expects a <typeparamref name="T"/> sent by <paramref name="sender"/>.</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, TimeSpan? timeout = null, string? hint = null)
    {
        var t = ExpectMsg<T>(timeout, hint);
        if (!Equals(LastSender, sender)) throw new XunitException($"Expected {Describe(t)} from {sender.Path} but it came from {LastSender.Path}");
        return t;
    }

    /// <summary>Expects one message equal to any of <paramref name="messages"/>.</summary>
    public object ExpectMsgAnyOf(params object[] messages)
    {
        var m = ReceiveOrFail(null, "any of " + string.Join(", ", messages.Select(Describe)));
        if (messages.Any(x => Equals(x, m))) return m;
        throw new XunitException($"Expected any of [{string.Join(", ", messages.Select(Describe))}] but got {Describe(m)}");
    }

    /// <summary>Expects exactly these messages in any order.</summary>
    public IReadOnlyList<object> ExpectMsgAllOf(params object[] messages)
    {
        var got = ReceiveN(messages.Length);
        var missing = messages.ToList();
        foreach (var g in got)
            if (!missing.Remove(missing.FirstOrDefault(x => Equals(x, g)) ?? new object()))
                throw new XunitException($"Unexpected message {Describe(g)}; expected all of [{string.Join(", ", messages.Select(Describe))}]");
        return got;
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null)
    {
        var t = ExpectMsg<Terminated>(timeout, $"Terminated of {target.Path}");
        if (!Equals(t.ActorRef, target)) throw new XunitException($"Expected Terminated of {target.Path} but got Terminated of {t.ActorRef.Path}");
        return t;
    }

    /// <summary>
    /// Asserts that no message arrives within <paramref name="duration"/> (default: remaining Within time or the single-expect
    /// default). Fails also for a message already queued. On a deterministic system: runs it to idle and checks the inbox.
    /// </summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var wait = RemainingOrDilated(duration);
        if (TryReceive(wait, out var m)) throw new XunitException($"Expected no message but got {Describe(m)}");
    }

    /// <summary>Receives exactly <paramref name="n"/> messages within <paramref name="max"/> (overall).</summary>
    public IReadOnlyList<object> ReceiveN(int n, TimeSpan? max = null)
    {
        var deadline = _clock.Elapsed + RemainingOrDilated(max);
        var list = new List<object>(n);
        for (var i = 0; i < n; i++)
        {
            var left = Max(deadline - _clock.Elapsed, TimeSpan.Zero);
            if (!TryReceive(left, out var m)) throw new XunitException($"Timeout while waiting for message {i + 1} of {n}; got [{string.Join(", ", list.Select(Describe))}]");
            list.Add(m!);
        }
        return list;
    }

    /// <summary>Receives messages until one satisfies <paramref name="isMessage"/> (others are dropped); fails on timeout.</summary>
    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null)
    {
        var deadline = _clock.Elapsed + RemainingOrDilated(max);
        while (true)
        {
            var left = Max(deadline - _clock.Elapsed, TimeSpan.Zero);
            if (!TryReceive(left, out var m)) throw new XunitException($"Timeout while fishing for a message{Hint(hint)}");
            if (isMessage(m!)) return m!;
        }
    }

    /// <summary>Typed <see cref="FishForMessage(Predicate{object}, TimeSpan?, string?)"/>.</summary>
    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null) =>
        (T)FishForMessage(m => m is T t && isMessage(t), max, hint);

    /// <summary>
    /// Runs <paramref name="action"/> with a deadline of <paramref name="max"/> for inner expectations (shared by this kit only),
    /// then checks that it took at least <paramref name="min"/> and at most <paramref name="max"/> (both dilated for max).
    /// </summary>
    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        var start = _clock.Elapsed;
        var saved = _end;
        var dmax = Dilated(max);
        var end = start + dmax;
        _end = saved is { } s && s < end ? s : end;
        try
        {
            action();
        }
        finally
        {
            _end = saved;
        }
        var took = _clock.Elapsed - start;
        if (took < min) throw new XunitException($"Block took {took.TotalMilliseconds} ms, less than the minimum {min.TotalMilliseconds} ms");
        if (took > dmax) throw new XunitException($"Block took {took.TotalMilliseconds} ms, more than the maximum {dmax.TotalMilliseconds} ms");
    }

    /// <summary><see cref="Within(TimeSpan, TimeSpan, Action)"/> with no minimum.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary><see cref="Within(TimeSpan, Action)"/> returning a value.</summary>
    public T Within<T>(TimeSpan max, Func<T> func)
    {
        T result = default!;
        Within(TimeSpan.Zero, max, () => result = func());
        return result;
    }

    /// <summary>
    /// Re-evaluates <paramref name="condition"/> until true or <paramref name="max"/> passes (then fails). Between checks it
    /// waits <paramref name="interval"/> (default 10 ms) on a signal; deterministic systems are run to idle before each check.
    /// </summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        var deadline = _clock.Elapsed + RemainingOrDilated(max);
        using var signal = new ManualResetEventSlim(false);
        while (true)
        {
            if (Sys.IsDeterministic) Sys.RunUntilIdle();
            if (condition()) return;
            var left = deadline - _clock.Elapsed;
            if (left <= TimeSpan.Zero) throw new XunitException($"Timeout while awaiting condition{Hint(message)}");
            signal.Wait(Min(left, interval ?? TimeSpan.FromMilliseconds(10)));
        }
    }

    /// <summary>Re-runs <paramref name="assertion"/> until it stops throwing or <paramref name="duration"/> passes (then rethrows the last failure).</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var deadline = _clock.Elapsed + RemainingOrDilated(duration);
        using var signal = new ManualResetEventSlim(false);
        while (true)
        {
            if (Sys.IsDeterministic) Sys.RunUntilIdle();
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (_clock.Elapsed < deadline)
            {
                signal.Wait(Min(Max(deadline - _clock.Elapsed, TimeSpan.Zero), interval ?? TimeSpan.FromMilliseconds(10)));
            }
        }
    }

    private protected void CompleteInbox() => _queue.CompleteAdding();

    private static string Hint(string? hint) => string.IsNullOrEmpty(hint) ? string.Empty : $" ({hint})";

    private static string Describe(object? m) => m == null ? "null" : $"{m} ({m.GetType().Name})";
}
