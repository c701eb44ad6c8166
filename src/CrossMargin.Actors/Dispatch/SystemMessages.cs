namespace CrossMargin.Actors;

/// <summary>Kernel-internal control message; travels on an actor's system queue, ahead of user messages.</summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

internal sealed class Create : SystemMessage { }

internal sealed class Failed(ActorCell child, Exception cause) : SystemMessage
{
    public ActorCell Child { get; } = child;
    public Exception Cause { get; } = cause;
}

internal sealed class Suspend : SystemMessage { }

internal sealed class Resume(bool fromFailure) : SystemMessage
{
    public bool FromFailure { get; } = fromFailure;
}

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Terminate : SystemMessage { }

internal sealed class Watch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class DeathWatchNotification(IActorRef actor) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
}

internal sealed class ChildTerminated(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>Runs a continuation of an async handler inside the actor's turn.</summary>
internal sealed class RunTask(Action action) : SystemMessage
{
    public Action Action { get; } = action;
}
