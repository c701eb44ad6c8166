namespace CrossMargin.Actors;

/// <summary>
/// The watchers of a ref that has no mailbox (<see cref="FunctionRef"/>, an Ask's temporary ref). Thread-safe: watches,
/// unwatches and the termination may race; every watcher gets exactly one notification, also when it watches after the
/// termination (as Akka's DeathWatch promises for dead targets).
/// </summary>
internal sealed class RefWatchers
{
    private HashSet<IActorRef>? _watchers;
    private bool _terminated;

    /// <summary>Handles a <see cref="Watch"/>/<see cref="Unwatch"/> addressed to <paramref name="self"/>; false for other messages.</summary>
    public bool Handle(InternalActorRef self, SystemMessage message)
    {
        switch (message)
        {
            case Watch w when ReferenceEquals(w.Watchee, self) && !ReferenceEquals(w.Watcher, self):
                bool notifyNow;
                lock (this)
                {
                    notifyNow = _terminated;
                    if (!notifyNow) (_watchers ??= new HashSet<IActorRef>()).Add(w.Watcher);
                }
                if (notifyNow) Notify(self, w.Watcher);
                return true;
            case Unwatch u when ReferenceEquals(u.Watchee, self):
                lock (this) _watchers?.Remove(u.Watcher);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Marks <paramref name="self"/> terminated and notifies every current watcher once; later calls do nothing.</summary>
    public void Terminate(InternalActorRef self)
    {
        HashSet<IActorRef>? watchers;
        lock (this)
        {
            if (_terminated) return;
            _terminated = true;
            watchers = _watchers;
            _watchers = null;
        }
        if (watchers == null) return;
        foreach (var w in watchers) Notify(self, w);
    }

    private static void Notify(InternalActorRef self, IActorRef watcher)
    {
        if (watcher is InternalActorRef r) r.SendSystemMessage(new DeathWatchNotification(self));
    }
}
