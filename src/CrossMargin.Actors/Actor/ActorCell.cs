using Serilog;

namespace CrossMargin.Actors;

/// <summary>
/// One actor incarnation's runtime: its mailbox (user queue, system queue, front deque for unstashed messages),
/// children, watchers and lifecycle. Processing happens in "turns" scheduled on the dispatcher; at most one turn runs
/// at a time, which is what makes an actor single-threaded.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IThreadPoolWorkItem
{
    private const int ScheduledBit = 1;
    private const int ClosedBit = 2;

    [ThreadStatic] private static ActorCell? t_current;
    [ThreadStatic] private static ActorCell? t_creating;

    private readonly ActorCell? _parent;
    private readonly MessageDispatcher _dispatcher;
    private readonly int _capacity; // 0 = unbounded
    private int _count;             // only maintained for bounded mailboxes
    private int _status;
    private MpscQueue _queue = MpscQueue.Create();
    private SystemMessage? _systemHead;
    private List<Envelope>? _front; // unstashed messages; end of list = front of the mailbox

    private ActorBase? _actor;
    private List<Receive>? _behaviours;
    private Envelope? _current;
    private bool _senderOverridden;

    // suspension reasons (touched only inside turns)
    private bool _failed;
    private bool _awaitingAsync;
    private int _suspendCount;
    private bool _terminating;
    private bool _restarting;

    private Dictionary<string, ActorCell>? _children; // guarded by lock(this)

    // Rarely used state lives in a side object allocated on first use, so an idle actor stays small.
    private CellExtras? _x;

    // Thread-safe creation: children bookkeeping may be touched from ActorOf/Stop callers on other threads.
    private CellExtras X => Volatile.Read(ref _x) ?? Interlocked.CompareExchange(ref _x, new CellExtras(), null) ?? _x!;

    private IActorRef? _currentSenderOverride { get => _x?.SenderOverride; set { if (_x != null || value != null) X.SenderOverride = value; } }

    private object? _failedMessage { get => _x?.FailedMessage; set { if (_x != null || value != null) X.FailedMessage = value; } }

    private int _asyncGeneration { get => _x?.AsyncGeneration ?? 0; set => X.AsyncGeneration = value; } // bumped when a failure/restart abandons a pending async handler

    private Envelope? _asyncEnvelope { get => _x?.AsyncEnvelope; set { if (_x != null || value != null) X.AsyncEnvelope = value; } }

    private Exception? _restartCause { get => _x?.RestartCause; set { if (_x != null || value != null) X.RestartCause = value; } }

    private ActorCell? _escalatedChild { get => _x?.EscalatedChild; set { if (_x != null || value != null) X.EscalatedChild = value; } } // the child whose failure this actor escalated

    private HashSet<ActorCell>? _stoppingChildren { get => _x?.StoppingChildren; set { if (_x != null || value != null) X.StoppingChildren = value; } } // guarded by lock(this)

    private Dictionary<ActorCell, ChildRestartStats>? _childStats { get => _x?.ChildStats; set { if (_x != null || value != null) X.ChildStats = value; } }

    private int _nameCounter { get => _x?.NameCounter ?? 0; set => X.NameCounter = value; }

    private HashSet<IActorRef>? _watching { get => _x?.Watching; set { if (_x != null || value != null) X.Watching = value; } }

    private HashSet<IActorRef>? _terminatedQueued { get => _x?.TerminatedQueued; set { if (_x != null || value != null) X.TerminatedQueued = value; } }

    private HashSet<IActorRef>? _watchedBy { get => _x?.WatchedBy; set { if (_x != null || value != null) X.WatchedBy = value; } }

    private TimerScheduler? _timers { get => _x?.Timers; set { if (_x != null || value != null) X.Timers = value; } }

    private ActorStash? _stash { get => _x?.Stash; set { if (_x != null || value != null) X.Stash = value; } }

    private List<ActorStash>? _extraStashes { get => _x?.ExtraStashes; set { if (_x != null || value != null) X.ExtraStashes = value; } }

    private TimeSpan? _receiveTimeout { get => _x?.ReceiveTimeout; set { if (_x != null || value != null) X.ReceiveTimeout = value; } }

    private ICancelable? _receiveTimeoutTask { get => _x?.ReceiveTimeoutTask; set { if (_x != null || value != null) X.ReceiveTimeoutTask = value; } }

    private ActorTaskScheduler? _taskScheduler { get => _x?.TaskScheduler; set { if (_x != null || value != null) X.TaskScheduler = value; } }

    internal ActorCell(ActorSystem system, ActorCell? parent, ActorPath path, Props props, MessageDispatcher dispatcher, int capacity)
    {
        System = system;
        _parent = parent;
        Props = props;
        _dispatcher = dispatcher;
        _capacity = capacity;
        Uid = system.NextUid();
        SelfRef = new LocalActorRef(this, path);
    }

    internal static ActorCell? Current => t_current;

    internal static ActorCell? Creating => t_creating;

    /// <summary>Incarnation number, unique within the system (a per-system counter, so deterministic runs print equal refs).</summary>
    internal long Uid { get; }

    internal LocalActorRef SelfRef { get; }

    internal bool IsClosed => (Volatile.Read(ref _status) & ClosedBit) != 0;

    internal IActorRef? SenderOrNull => _senderOverridden ? _currentSenderOverride : _current?.Sender;

    internal Envelope? CurrentEnvelope => _current;

    internal bool CurrentStashed { get; set; }

    internal ActorBase? Actor => _actor;

    /// <summary>An extra stash of the current incarnation (<c>ActorBase.CreateStash</c>); drained to dead letters on stop.</summary>
    internal ActorStash CreateExtraStash()
    {
        var stash = new ActorStash(this);
        (_extraStashes ??= new List<ActorStash>()).Add(stash);
        return stash;
    }

    private bool IsSuspended => _failed || _awaitingAsync || _suspendCount > 0 || _terminating || _restarting || _actor == null;

    // ---------------------------------------------------------------- IActorContext

    public IActorRef Self => SelfRef;

    public IActorRef Sender => SenderOrNull ?? System.DeadLetters;

    public IActorRef Parent => (IActorRef?)_parent?.SelfRef ?? ActorRefs.Nobody;

    public Props Props { get; }

    public ActorSystem System { get; }

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public IReadOnlyCollection<IActorRef> Children
    {
        get
        {
            lock (this)
            {
                if (_children == null || _children.Count == 0) return Array.Empty<IActorRef>();
                return _children.Values.Where(c => _stoppingChildren == null || !_stoppingChildren.Contains(c))
                    .Select(c => (IActorRef)c.SelfRef).ToArray();
            }
        }
    }

    internal List<ActorCell> ChildCells()
    {
        lock (this) return _children == null ? new List<ActorCell>() : _children.Values.ToList();
    }

    public IActorRef Child(string name)
    {
        lock (this)
            return _children != null && _children.TryGetValue(name, out var c) && (_stoppingChildren == null || !_stoppingChildren.Contains(c))
                ? c.SelfRef : ActorRefs.Nobody;
    }

    public IActorRef ActorOf(Props props, string? name = null) => CreateChild(props, name).SelfRef;

    internal ActorCell CreateChild(Props props, string? name)
    {
        ArgumentNullException.ThrowIfNull(props);
        ActorCell child;
        lock (this)
        {
            if (IsClosed || _terminating) throw new IllegalStateException($"Cannot create a child of {SelfRef.Path}: it is terminating.");
            _children ??= new Dictionary<string, ActorCell>(StringComparer.Ordinal);
            if (name == null)
            {
                do name = "$" + AutoName(_nameCounter++); while (_children.ContainsKey(name));
            }
            else
            {
                ValidateName(name);
                if (_children.ContainsKey(name))
                    throw new InvalidActorNameException($"Actor name [{name}] is not unique under {SelfRef.Path}.");
            }
            var (dispatcher, capacity) = System.ResolveDispatch(props);
            child = new ActorCell(System, this, SelfRef.Path.Child(name), props, dispatcher, capacity);
            _children.Add(name, child);
        }
        child.PostSystem(new Create());
        return child;
    }

    private static string AutoName(int n)
    {
        const string digits = "abcdefghijklmnopqrstuvwxyz";
        var s = string.Empty;
        do { s = digits[n % 26] + s; n /= 26; } while (n > 0);
        return s;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new InvalidActorNameException("Actor name must not be empty.");
        if (name[0] == '$') throw new InvalidActorNameException($"Actor name [{name}] must not start with '$'.");
        foreach (var ch in name)
            if (ch == '/' || ch == '#' || char.IsWhiteSpace(ch) || char.IsControl(ch))
                throw new InvalidActorNameException($"Actor name [{name}] contains an illegal character '{ch}'.");
    }

    public void Stop(IActorRef actor)
    {
        if (actor is not LocalActorRef local) return;
        var cell = local.Cell;
        if (cell._parent == this)
            lock (this) (_stoppingChildren ??= new HashSet<ActorCell>()).Add(cell);
        cell.PostSystem(new Terminate());
    }

    public IActorRef Watch(IActorRef subject)
    {
        if (ReferenceEquals(subject, SelfRef)) return subject;
        (_watching ??= new HashSet<IActorRef>()).Add(subject);
        if (subject is InternalActorRef r) r.SendSystemMessage(new Watch(subject, SelfRef));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        _watching?.Remove(subject);
        _terminatedQueued?.Remove(subject);
        if (subject is InternalActorRef r) r.SendSystemMessage(new Unwatch(subject, SelfRef));
        return subject;
    }

    public void Become(Receive receive)
    {
        _behaviours ??= new List<Receive>(2);
        if (_behaviours.Count > 0) _behaviours[^1] = receive;
        else _behaviours.Add(receive);
    }

    public void BecomeStacked(Receive receive) => (_behaviours ??= new List<Receive>(2)).Add(receive);

    public void UnbecomeStacked()
    {
        if (_behaviours is { Count: > 0 }) _behaviours.RemoveAt(_behaviours.Count - 1);
    }

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        _receiveTimeout = timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? t : null;
        RescheduleReceiveTimeout();
    }

    private void RescheduleReceiveTimeout()
    {
        _receiveTimeoutTask?.Cancel();
        _receiveTimeoutTask = _receiveTimeout is { } t
            ? System.Scheduler.ScheduleTellOnceCancelable(t, SelfRef, Actors.ReceiveTimeout.Instance, SelfRef)
            : null;
    }

    internal void SetCurrentSender(IActorRef? sender)
    {
        _currentSenderOverride = sender;
        _senderOverridden = true;
    }

    // ---------------------------------------------------------------- mailbox

    /// <summary>Enqueues a user message; any thread.</summary>
    internal void Post(object message, IActorRef? sender)
    {
        if ((Volatile.Read(ref _status) & ClosedBit) != 0)
        {
            System.DeadLetters.Tell(new DeadLetter(message, sender ?? System.DeadLetters, SelfRef), sender);
            return;
        }
        if (_capacity > 0 && Interlocked.Increment(ref _count) > _capacity)
        {
            // Overflow rule: the NEW message is dropped to dead letters; queued messages are kept.
            Interlocked.Decrement(ref _count);
            System.DeadLetters.Tell(new DeadLetter(message, sender ?? System.DeadLetters, SelfRef), sender);
            return;
        }
        _queue.Enqueue(message, sender);
        TrySchedule();
    }

    /// <summary>Enqueues a system message; any thread.</summary>
    internal void PostSystem(SystemMessage message)
    {
        SystemMessage? head;
        do
        {
            head = Volatile.Read(ref _systemHead);
            message.Next = head;
        } while (Interlocked.CompareExchange(ref _systemHead, message, head) != head);
        TrySchedule();
    }

    /// <summary>Puts envelopes at the front of the mailbox, in the given order; actor turn only.</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        _front ??= new List<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--) _front.Add(envelopes[i]);
    }

    private void TrySchedule()
    {
        // A full-fence read-modify-write, not a plain read: Post's enqueue ends with an ordinary (release) store of the
        // node link, and a plain load of _status could be reordered before it (store->load). The consumer could then
        // clear ScheduledBit and see an empty queue while this producer sees the stale bit: a lost wake-up. Measured against
        // the plain-read-then-CAS version (2026-11-22, benchmarks/README.md): no difference beyond noise.
        if ((Interlocked.Or(ref _status, ScheduledBit) & ScheduledBit) == 0)
            _dispatcher.Schedule(this);
    }

    private bool HasUserMessages => _queue.HasMessages || _front is { Count: > 0 };

    private bool TryDequeueUser(out Envelope envelope)
    {
        if (_front is { Count: > 0 })
        {
            envelope = _front[^1];
            _front.RemoveAt(_front.Count - 1);
            return true;
        }
        if (!_queue.TryDequeue(out envelope)) return false;
        if (_capacity > 0) Interlocked.Decrement(ref _count);
        return true;
    }

    void IThreadPoolWorkItem.Execute() => Run(_dispatcher.Throughput);

    /// <summary>One turn: system messages, then up to <paramref name="throughput"/> user messages (system queue re-checked after each).</summary>
    internal void Run(int throughput)
    {
        var previous = t_current;
        t_current = this;
        try
        {
            ProcessSystemMessages();
            while (throughput > 0 && !IsSuspended && !IsClosed && TryDequeueUser(out var envelope))
            {
                Invoke(envelope);
                throughput--;
                ProcessSystemMessages();
            }
            if (IsClosed) DrainClosed();
        }
        catch (Exception ex)
        {
            // Only a kernel bug or a throwing event-stream callback gets here; never let it kill a pool thread.
            System.Log.Error(ex, "Unexpected error in the turn of {ActorPath}", SelfRef.Path.ToString());
        }
        finally
        {
            t_current = previous;
        }
        Interlocked.And(ref _status, ~ScheduledBit);
        if (Volatile.Read(ref _systemHead) != null || (HasUserMessages && (!IsSuspended || IsClosed)))
            TrySchedule();
    }

    private void ProcessSystemMessages()
    {
        while (Volatile.Read(ref _systemHead) != null)
        {
            var list = Interlocked.Exchange(ref _systemHead, null);
            SystemMessage? reversed = null;
            while (list != null)
            {
                var next = list.Next;
                list.Next = reversed;
                reversed = list;
                list = next;
            }
            while (reversed != null)
            {
                var msg = reversed;
                reversed = reversed.Next;
                msg.Next = null;
                if (IsClosed) HandleSystemWhenClosed(msg);
                else HandleSystemSafely(msg);
            }
        }
    }

    private void HandleSystemSafely(SystemMessage msg)
    {
        try
        {
            HandleSystem(msg);
        }
        catch (Exception ex)
        {
            System.Log.Error(ex, "Error while handling {SystemMessage} in {ActorPath}", msg.GetType().Name, SelfRef.Path.ToString());
        }
    }

    private void DrainClosed()
    {
        ProcessSystemMessages();
        while (TryDequeueUser(out var e))
            System.DeadLetters.Tell(new DeadLetter(e.Message, e.Sender ?? System.DeadLetters, SelfRef), e.Sender);
    }

    private static void HandleSystemWhenClosed(SystemMessage msg)
    {
        if (msg is Watch w && w.Watcher is InternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(w.Watchee));
    }

    // ---------------------------------------------------------------- user messages

    private void Invoke(Envelope envelope)
    {
        _current = envelope;
        _senderOverridden = false;
        CurrentStashed = false;
        var message = envelope.Message;
        var influencesTimeout = message is not INotInfluenceReceiveTimeout;
        try
        {
            switch (message)
            {
                case TimerMessage tm:
                    var payload = _timers?.Accept(tm);
                    // As in Akka, a timer message resets the receive timeout unless its payload opts out.
                    influencesTimeout = payload != null && payload is not INotInfluenceReceiveTimeout;
                    if (payload != null) ReceiveMessage(payload);
                    break;
                case Terminated t:
                    if (_terminatedQueued != null && _terminatedQueued.Remove(t.ActorRef)) ReceiveMessage(message);
                    break;
                case PoisonPill:
                    Stop(SelfRef);
                    break;
                case Kill:
                    throw new ActorKilledException("Kill");
                default:
                    ReceiveMessage(message);
                    break;
            }
            // Also re-arm when the previous timeout already fired (one-shot tasks count as cancelled once fired), so
            // ReceiveTimeout repeats until it is turned off, as in Akka.
            if (_receiveTimeout != null && !_terminating && (influencesTimeout || _receiveTimeoutTask is null or { IsCancellationRequested: true }))
                RescheduleReceiveTimeout();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, message);
        }
        finally
        {
            if (!_awaitingAsync) _current = null;
            _senderOverridden = false;
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var behaviour = _behaviours is { Count: > 0 } ? _behaviours[^1] : actor.InitialBehaviour;
        if (!actor.AroundReceive(behaviour, message)) actor.UnhandledInternal(message);
    }

    // ---------------------------------------------------------------- async handlers

    /// <summary>Runs an async handler: the mailbox stays suspended until the task completes; continuations run in turns.</summary>
    internal void RunAsync(Func<Task> handler)
    {
        var scheduler = _taskScheduler ??= new ActorTaskScheduler(this);
        var outer = new Task<Task>(handler);
        outer.RunSynchronously(scheduler);
        // A handler that throws before returning its task must fail the actor with its own exception (as a synchronous
        // handler would), not with the AggregateException that outer.Result would raise.
        if (outer.IsFaulted || outer.IsCanceled) throw Unwrap(outer);
        var task = outer.Result;
        if (task.IsCompleted)
        {
            if (task.IsFaulted || task.IsCanceled) throw Unwrap(task);
            return;
        }
        _awaitingAsync = true;
        _asyncEnvelope = _current;
        var generation = _asyncGeneration;
        task.ContinueWith(t => PostSystem(new RunTask(() => AsyncCompleted(t, generation))), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static Exception Unwrap(Task t) =>
        t.Exception?.InnerExceptions.Count == 1 ? t.Exception.InnerException! : (Exception?)t.Exception ?? new TaskCanceledException(t);

    private void AsyncCompleted(Task task, int generation)
    {
        if (generation != _asyncGeneration || !_awaitingAsync) return; // abandoned by a failure or restart
        var envelope = _asyncEnvelope;
        _awaitingAsync = false;
        _asyncEnvelope = null;
        if (task.IsFaulted || task.IsCanceled) HandleInvokeFailure(Unwrap(task), envelope?.Message);
    }

    internal void RunContinuation(Action action)
    {
        var saved = _current;
        _current = _asyncEnvelope ?? saved;
        try
        {
            action();
        }
        finally
        {
            _current = saved;
        }
    }

    // ---------------------------------------------------------------- system messages

    private void HandleSystem(SystemMessage msg)
    {
        switch (msg)
        {
            case Create: HandleCreate(); break;
            case Failed f: HandleFailed(f.Child, f.Cause); break;
            case Suspend: HandleSuspend(); break;
            case Resume r: HandleResume(r.FromFailure); break;
            case Recreate r: HandleRecreate(r.Cause); break;
            case Terminate: HandleTerminate(); break;
            case Watch w: HandleWatch(w); break;
            case Unwatch u: _watchedBy?.Remove(u.Watcher); break;
            case DeathWatchNotification n: HandleDeathWatchNotification(n.Actor); break;
            case ChildTerminated c: HandleChildTerminated(c.Child); break;
            case RunTask r: RunContinuation(r.Action); break;
        }
    }

    private ActorBase NewInstance()
    {
        var previous = t_creating;
        t_creating = this;
        try
        {
            var actor = Props.Factory();
            if (!ReferenceEquals(actor.Cell, this))
                throw new IllegalStateException("The Props factory must create a new actor instance on each call.");
            actor.OnConstructed();
            if (actor is IWithStash ws) ws.Stash = _stash ??= new ActorStash(this);
            if (actor is IWithTimers wt) wt.Timers = _timers ??= new TimerScheduler(this);
            return actor;
        }
        catch (Exception ex) when (ex is not ActorInitializationException)
        {
            throw new ActorInitializationException(SelfRef, $"Exception while creating actor of type {Props.ActorType.Name}", ex);
        }
        finally
        {
            t_creating = previous;
        }
    }

    private void HandleCreate()
    {
        try
        {
            _actor = NewInstance();
            _actor.AroundPreStart();
        }
        catch (Exception ex)
        {
            var init = ex as ActorInitializationException ?? new ActorInitializationException(SelfRef, "Exception in PreStart", ex);
            HandleInvokeFailure(init, null);
        }
    }

    private void HandleSuspend()
    {
        _suspendCount++;
        foreach (var c in ChildCells()) c.PostSystem(new Suspend());
    }

    private void HandleResume(bool fromFailure)
    {
        if (fromFailure)
        {
            _failed = false;
            _failedMessage = null;
            // This failure was escalated from a child that is itself still marked failed: resuming us resumes it too
            // (Akka resumes the perpetrator with its failure cleared), otherwise it would stay suspended forever.
            if (_escalatedChild is { } perpetrator)
            {
                _escalatedChild = null;
                perpetrator.PostSystem(new Resume(true));
            }
        }
        else if (_suspendCount > 0)
        {
            _suspendCount--;
        }
        foreach (var c in ChildCells()) c.PostSystem(new Resume(false));
    }

    private void HandleWatch(Watch w)
    {
        if (ReferenceEquals(w.Watchee, SelfRef) && !ReferenceEquals(w.Watcher, SelfRef))
            (_watchedBy ??= new HashSet<IActorRef>()).Add(w.Watcher);
    }

    private void HandleDeathWatchNotification(IActorRef actor)
    {
        if (_terminating || _watching == null || !_watching.Remove(actor)) return;
        (_terminatedQueued ??= new HashSet<IActorRef>()).Add(actor);
        Post(new Terminated(actor, true, false), actor);
    }
}

/// <summary>An actor's rarely used state (watchers, timers, stash, async and restart bookkeeping); allocated on first use.</summary>
internal sealed class CellExtras
{
    public IActorRef? SenderOverride;
    public object? FailedMessage;
    public int AsyncGeneration;
    public Envelope? AsyncEnvelope;
    public Exception? RestartCause;
    public ActorCell? EscalatedChild;
    public HashSet<ActorCell>? StoppingChildren;
    public Dictionary<ActorCell, ChildRestartStats>? ChildStats;
    public int NameCounter;
    public HashSet<IActorRef>? Watching;
    public HashSet<IActorRef>? TerminatedQueued;
    public HashSet<IActorRef>? WatchedBy;
    public TimerScheduler? Timers;
    public ActorStash? Stash;
    public List<ActorStash>? ExtraStashes;
    public TimeSpan? ReceiveTimeout;
    public ICancelable? ReceiveTimeoutTask;
    public ActorTaskScheduler? TaskScheduler;
}
