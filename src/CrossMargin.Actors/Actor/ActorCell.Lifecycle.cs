using Serilog;

namespace CrossMargin.Actors;

/// <summary>Failure, restart and stop protocols (Akka's order: children stop before parents; PostStop; Terminated to watchers).</summary>
internal sealed partial class ActorCell
{
    /// <summary>The actor threw: suspend it and its children and report to the parent, which decides.</summary>
    private void HandleInvokeFailure(Exception cause, object? message)
    {
        if (_failed || _terminating) return;
        _failed = true;
        _failedMessage = message;
        AbandonAsync();
        foreach (var c in ChildCells()) c.PostSystem(new Suspend());
        if (_parent != null) _parent.PostSystem(new Failed(this, cause));
        else
        {
            System.Log.Error(cause, "Root guardian failed; terminating the system");
            HandleTerminate();
        }
    }

    private void AbandonAsync()
    {
        if (!_awaitingAsync) return;
        _awaitingAsync = false;
        _asyncEnvelope = null;
        _asyncGeneration++;
    }

    private void HandleFailed(ActorCell child, Exception cause)
    {
        lock (this)
        {
            if (_children == null || !_children.TryGetValue(child.SelfRef.Path.Name, out var known) || known != child) return;
            if (_stoppingChildren != null && _stoppingChildren.Contains(child)) return;
        }
        if (_terminating) return;
        var strategy = _actor?.SupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        SetCurrentSender(child.SelfRef);
        Directive directive;
        try
        {
            directive = strategy.Decide(cause);
        }
        finally
        {
            _senderOverridden = false;
        }
        LogFailure(strategy, child, cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                child.PostSystem(new Resume(true));
                break;
            case Directive.Restart:
                var targets = strategy is AllForOneStrategy ? ChildCells().Where(IsLiveChild).ToList() : new List<ActorCell> { child };
                // As Akka: every affected child must still have restarts left (AllForOne counts each group restart on
                // every sibling, so the limit applies to the group, not only to the child that happened to fail).
                var now = System.TimeProvider.GetUtcNow();
                if (targets.All(t => strategy.RequestRestartPermission(StatsFor(t), now)))
                    foreach (var t in targets) t.PostSystem(new Recreate(cause));
                else
                    foreach (var t in targets) Stop(t.SelfRef);
                break;
            case Directive.Stop:
                if (strategy is AllForOneStrategy)
                    foreach (var t in ChildCells().Where(IsLiveChild)) Stop(t.SelfRef);
                else Stop(child.SelfRef);
                break;
            default:
                _escalatedChild = child;
                HandleInvokeFailure(cause, null);
                break;
        }
    }

    private bool IsLiveChild(ActorCell c)
    {
        lock (this) return _stoppingChildren == null || !_stoppingChildren.Contains(c);
    }

    private ChildRestartStats StatsFor(ActorCell child)
    {
        _childStats ??= new Dictionary<ActorCell, ChildRestartStats>();
        if (!_childStats.TryGetValue(child, out var stats)) _childStats[child] = stats = new ChildRestartStats();
        return stats;
    }

    private void LogFailure(SupervisorStrategy strategy, ActorCell child, Exception cause, Directive directive)
    {
        if (!strategy.LoggingEnabled) return;
        var log = System.Log.ForContext("ActorPath", child.SelfRef.Path.ToString());
        switch (directive)
        {
            case Directive.Resume:
                log.Warning(cause, "Actor {ChildPath} failed with {ExceptionType}: {Reason}; resuming", child.SelfRef.Path.ToString(), cause.GetType().Name, cause.Message);
                break;
            case Directive.Restart:
            case Directive.Stop:
                log.Error(cause, "Actor {ChildPath} failed with {ExceptionType}: {Reason}; directive {Directive}", child.SelfRef.Path.ToString(), cause.GetType().Name, cause.Message, directive);
                break;
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if (_terminating || IsClosed) return;
        var failedActor = _actor;
        var message = _failedMessage;
        AbandonAsync();
        _receiveTimeoutTask?.Cancel();
        _timers?.CancelAll();
        // The failed instance's extra stashes (CreateStash) die with it; like the primary stash, their messages go back
        // to the front of the mailbox instead of being lost (the primary stash's end up first, as Akka's persistent
        // actors unstash their internal stash before the user stash).
        if (_extraStashes != null)
        {
            foreach (var extra in _extraStashes) extra.UnstashAll();
            _extraStashes = null;
        }
        if (_stash != null)
        {
            _stash.UnstashAll();
        }
        if (failedActor != null)
        {
            try
            {
                failedActor.AroundPreRestart(cause, message);
            }
            catch (Exception ex)
            {
                System.Log.ForContext("ActorPath", SelfRef.Path.ToString()).Error(ex, "PreRestart of {ActorPath} threw", SelfRef.Path.ToString());
            }
        }
        _actor = null;
        _behaviours = null;
        _restarting = true;
        _restartCause = cause;
        _failedMessage = null;
        if (!HasStoppingChildren()) FinishRecreate();
    }

    private bool HasStoppingChildren()
    {
        lock (this) return _stoppingChildren is { Count: > 0 };
    }

    private void FinishRecreate()
    {
        var cause = _restartCause!;
        _escalatedChild = null; // surviving children are re-created below, which clears their failure
        _restarting = false;
        _restartCause = null;
        _failed = false;
        _suspendCount = 0;
        try
        {
            _actor = NewInstance();
            _actor.AroundPostRestart(cause);
        }
        catch (Exception ex)
        {
            var init = ex as ActorInitializationException ?? new ActorInitializationException(SelfRef, "Exception in PostRestart", ex);
            HandleInvokeFailure(init, null);
            return;
        }
        foreach (var c in ChildCells().Where(IsLiveChild)) c.PostSystem(new Recreate(cause));
        if (_receiveTimeout != null) RescheduleReceiveTimeout();
    }

    private void HandleTerminate()
    {
        if (_terminating || IsClosed) return;
        List<ActorCell> children;
        lock (this)
        {
            // Set the flag and snapshot the children under the lock CreateChild takes: a child created concurrently
            // (e.g. system.ActorOf racing Terminate) is either in the snapshot or refused, never left running while this
            // actor waits forever for it to stop.
            _terminating = true;
            children = _children == null ? new List<ActorCell>() : _children.Values.ToList();
        }
        _receiveTimeoutTask?.Cancel();
        _timers?.CancelAll();
        if (_watching != null)
        {
            foreach (var w in _watching)
                if (w is InternalActorRef r) r.SendSystemMessage(new Unwatch(w, SelfRef));
            _watching = null;
        }
        // Akka's shutdown order: the root guardian stops /user first and /system only once /user has terminated (see
        // HandleChildTerminated), so system actors (journals, loggers) still serve user actors' PostStop.
        if (_parent == null && children.Count > 1 && children.Find(c => c.SelfRef.Path.Name == "user") is { } user)
            children = new List<ActorCell> { user };
        StopChildren(children);
        if (children.Count == 0) FinishTerminate();
    }

    private void StopChildren(List<ActorCell> children)
    {
        foreach (var c in children)
        {
            lock (this) (_stoppingChildren ??= new HashSet<ActorCell>()).Add(c);
            c.PostSystem(new Terminate());
        }
    }

    private void HandleChildTerminated(ActorCell child)
    {
        bool empty;
        bool stillStopping;
        lock (this)
        {
            if (_children != null && _children.TryGetValue(child.SelfRef.Path.Name, out var c) && c == child)
                _children.Remove(child.SelfRef.Path.Name);
            _stoppingChildren?.Remove(child);
            empty = _children == null || _children.Count == 0;
            stillStopping = _stoppingChildren is { Count: > 0 };
        }
        _childStats?.Remove(child);
        if (_terminating)
        {
            if (empty) FinishTerminate();
            else if (!stillStopping) StopChildren(ChildCells()); // the root's second phase: /system after /user
        }
        else if (_restarting && !stillStopping)
        {
            FinishRecreate();
        }
    }

    private void StashToDeadLetters(ActorStash stash)
    {
        foreach (var e in stash.Drain())
            System.DeadLetters.Tell(new DeadLetter(e.Message, e.Sender ?? System.DeadLetters, SelfRef), e.Sender);
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        if (actor != null)
        {
            try
            {
                actor.AroundPostStop();
            }
            catch (Exception ex)
            {
                System.Log.ForContext("ActorPath", SelfRef.Path.ToString()).Error(ex, "PostStop of {ActorPath} threw", SelfRef.Path.ToString());
            }
        }
        Interlocked.Or(ref _status, ClosedBit);
        // As in Akka, messages still stashed when the actor stops become dead letters (the primary stash first, then
        // the extra stashes made with CreateStash in creation order).
        if (_stash != null) StashToDeadLetters(_stash);
        if (_extraStashes != null)
        {
            foreach (var extra in _extraStashes) StashToDeadLetters(extra);
            _extraStashes = null;
        }
        if (_watchedBy != null)
        {
            foreach (var w in _watchedBy)
                if (w is InternalActorRef r) r.SendSystemMessage(new DeathWatchNotification(SelfRef));
            _watchedBy = null;
        }
        _actor = null;
        _behaviours = null;
        _current = null;
        _terminatedQueued = null;
        if (_parent != null) _parent.PostSystem(new ChildTerminated(this));
        else System.OnRootTerminated();
    }
}

/// <summary>Restart bookkeeping for one child (Akka's ChildRestartStats).</summary>
internal sealed class ChildRestartStats
{
    public int RestartCount;
    public DateTimeOffset? WindowStart;
}

/// <summary>Runs async handler continuations inside the owning actor's turns.</summary>
internal sealed class ActorTaskScheduler(ActorCell cell) : TaskScheduler
{
    protected override IEnumerable<Task>? GetScheduledTasks() => null;

    protected override void QueueTask(Task task) => cell.PostSystem(new RunTask(() => TryExecuteTask(task)));

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        ActorCell.Current == cell && TryExecuteTask(task);
}
