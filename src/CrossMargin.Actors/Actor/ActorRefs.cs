namespace CrossMargin.Actors;

/// <summary>Anything a message can be told to.</summary>
public interface ICanTell
{
    /// <summary>Sends <paramref name="message"/> fire-and-forget. Thread-safe; never throws for a stopped target (dead letter instead).</summary>
    /// <param name="message">The message; should be immutable.</param>
    /// <param name="sender">The sender the recipient sees as <c>Sender</c>; <c>null</c> (<see cref="ActorRefs.NoSender"/>) means DeadLetters.</param>
    void Tell(object message, IActorRef? sender);
}

/// <summary>
/// An immutable handle to one incarnation of an actor. Two refs are equal only when they denote the same incarnation:
/// an actor re-created under the same name gets a new ref.
/// </summary>
public interface IActorRef : ICanTell
{
    /// <summary>The actor's path.</summary>
    ActorPath Path { get; }
}

/// <summary>Well-known refs.</summary>
public static class ActorRefs
{
    /// <summary>A ref that swallows every message (without dead letters).</summary>
    public static IActorRef Nobody { get; } = new NobodyRef();

    /// <summary>"No sender": the recipient's <c>Sender</c> will be the system's DeadLetters.</summary>
    public static IActorRef? NoSender => null;
}

/// <summary>Convenience methods on refs.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Sends with the implicit sender, as Akka.NET does: inside an actor's handler that is the actor's
    /// <c>Self</c>; outside any actor it is <see cref="ImplicitSender.Current"/> (the test kit sets its
    /// <c>TestActor</c> there), else no sender (the recipient sees DeadLetters).
    /// </summary>
    public static void Tell(this ICanTell target, object message) =>
        target.Tell(message, ActorCell.Current?.Self ?? ImplicitSender.Current);

    /// <summary>
    /// Re-sends the message currently being processed keeping its original sender. Must be called from inside an actor.
    /// </summary>
    public static void Forward(this ICanTell target, object message)
    {
        var cell = ActorCell.Current ?? throw new IllegalStateException("Forward must be called from inside an actor's message handler.");
        target.Tell(message, cell.SenderOrNull);
    }
}

/// <summary>
/// Base of the kernel's own refs (actors, function refs, dead letters). Not meant to be derived outside the kernel.
/// </summary>
public abstract class InternalActorRef : IActorRef
{
    private protected InternalActorRef() { }

    /// <inheritdoc />
    public abstract ActorPath Path { get; }

    /// <inheritdoc />
    public abstract void Tell(object message, IActorRef? sender);

    /// <summary>True once the target can no longer process messages.</summary>
    public abstract bool IsTerminated { get; }

    internal abstract void SendSystemMessage(SystemMessage message);

    /// <inheritdoc />
    public override string ToString() => $"[{Path}]";
}

internal sealed class LocalActorRef : InternalActorRef
{
    internal readonly ActorCell Cell;

    internal LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    public override ActorPath Path { get; }

    public override bool IsTerminated => Cell.IsClosed;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message); // a null message would surface much later as a confusing failure
        Cell.Post(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message) => Cell.PostSystem(message);

    public override string ToString() => $"[{Path}#{Cell.Uid}]";
}

internal sealed class NobodyRef : InternalActorRef
{
    private static readonly ActorPath NobodyPath = ActorPath.Root("nobody").Child("nobody");

    public override ActorPath Path => NobodyPath;

    public override bool IsTerminated => true;

    public override void Tell(object message, IActorRef? sender) { }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch w && w.Watcher is InternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(this));
    }
}

internal sealed class DeadLettersRef : InternalActorRef
{
    private readonly ActorSystem _system;

    internal DeadLettersRef(ActorSystem system, ActorPath path)
    {
        _system = system;
        Path = path;
    }

    public override ActorPath Path { get; }

    public override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is DeadLetter d) _system.PublishDeadLetter(d);
        else _system.PublishDeadLetter(new DeadLetter(message, sender ?? this, this));
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch w && w.Watcher is InternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(this));
    }
}

/// <summary>
/// A lightweight ref that runs a callback synchronously on the sending thread for every message told to it; it has
/// no mailbox and no actor. It can watch actors: a <see cref="Terminated"/> is passed to the same callback.
/// Used by test probes and by code that needs a ref without an actor. The callback must be thread-safe.
/// </summary>
public sealed class FunctionRef : InternalActorRef
{
    private readonly Action<object, IActorRef?> _onMessage;
    private readonly ActorSystem _system;
    private readonly HashSet<IActorRef> _watching = new();
    private readonly RefWatchers _watchers = new();
    private volatile bool _stopped;

    internal FunctionRef(ActorSystem system, ActorPath path, Action<object, IActorRef?> onMessage)
    {
        _system = system;
        Path = path;
        _onMessage = onMessage;
    }

    /// <inheritdoc />
    public override ActorPath Path { get; }

    internal ActorSystem System => _system;

    /// <inheritdoc />
    public override bool IsTerminated => _stopped;

    /// <inheritdoc />
    public override void Tell(object message, IActorRef? sender)
    {
        if (_stopped)
        {
            _system.DeadLetters.Tell(new DeadLetter(message, sender ?? _system.DeadLetters, this), sender);
            return;
        }
        _onMessage(message, sender);
    }

    /// <summary>Watches <paramref name="subject"/>; its termination is delivered as <see cref="Terminated"/> to the callback.</summary>
    public IActorRef Watch(IActorRef subject)
    {
        lock (_watching) _watching.Add(subject);
        if (subject is InternalActorRef r) r.SendSystemMessage(new Watch(subject, this));
        return subject;
    }

    /// <summary>Stops watching <paramref name="subject"/>.</summary>
    public IActorRef Unwatch(IActorRef subject)
    {
        lock (_watching) _watching.Remove(subject);
        if (subject is InternalActorRef r) r.SendSystemMessage(new Unwatch(subject, this));
        return subject;
    }

    /// <summary>
    /// Stops the ref: later messages become dead letters, and whoever watches it gets <see cref="Terminated"/>
    /// (watchers that watch it later get it at once). Idempotent; thread-safe.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        _watchers.Terminate(this);
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification n)
        {
            bool was;
            lock (_watching) was = _watching.Remove(n.Actor);
            if (was && !_stopped) _onMessage(new Terminated(n.Actor, true, false), n.Actor);
        }
        else
        {
            _watchers.Handle(this, message);
        }
    }
}

/// <summary>
/// The sender used by <see cref="ActorRefExtensions.Tell(ICanTell, object)"/> when called outside any actor.
/// </summary>
/// <remarks>
/// Flows with the async context (an <see cref="AsyncLocal{T}"/>), so a value set before a test body runs
/// is seen by every await continuation of that body. Null by default: plain program code sends with no sender.
/// </remarks>
public static class ImplicitSender
{
    private static readonly AsyncLocal<IActorRef?> s_current = new();

    /// <summary>The implicit sender for code running outside an actor; null for none.</summary>
    public static IActorRef? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}
