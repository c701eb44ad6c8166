namespace CrossMargin.Actors;

/// <summary>
/// Base of all actors. The constructor runs on every incarnation (first start and each restart); use
/// <see cref="PreStart"/>/<see cref="PostStop"/> for resources. Everything here must be used from the actor's own turn only.
/// </summary>
/// <remarks>
/// Extension points for layers built on top (persistence): <see cref="AroundReceive"/>, <see cref="AroundPreStart"/>,
/// <see cref="AroundPostStop"/>, <see cref="AroundPreRestart"/>, <see cref="AroundPostRestart"/>,
/// <see cref="RestoreSender"/>, <see cref="CreateStash"/> and the behaviour stack through <see cref="Context"/>.
/// </remarks>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the instance to the cell that is creating it.</summary>
    /// <exception cref="ActorInitializationException">When constructed outside <c>ActorOf</c>.</exception>
    protected ActorBase()
    {
        _cell = ActorCell.Creating ?? throw new ActorInitializationException(null,
            $"Actor {GetType().Name} must be created through ActorOf(Props), not with 'new'.");
    }

    internal ActorCell Cell => _cell;

    /// <summary>The actor's context.</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the current message (DeadLetters when none).</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>The initial behaviour.</summary>
    protected abstract bool Receive(object message);

    private Receive? _initialBehaviour;

    /// <summary>Called by the kernel right after the constructor returned.</summary>
    internal virtual void OnConstructed() { }

    /// <summary>The initial behaviour as a cached delegate (no allocation per message).</summary>
    internal Receive InitialBehaviour => _initialBehaviour ??= Receive;

    /// <summary>Called for messages no behaviour handled: publishes <see cref="UnhandledMessage"/>; an unhandled <see cref="Terminated"/> throws <see cref="DeathPactException"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated t) throw new DeathPactException(t.ActorRef);
        _cell.System.EventStream.Publish(new UnhandledMessage(message, _cell.Sender, _cell.Self));
    }

    internal void UnhandledInternal(object message) => Unhandled(message);

    /// <summary>Runs the behaviour on a message; returns whether it was handled. Override to intercept processing.</summary>
    protected internal virtual bool AroundReceive(Receive receive, object message) => receive(message);

    /// <summary>Called once per incarnation before the first message (by default only on the first start, see <see cref="PostRestart"/>).</summary>
    protected virtual void PreStart() { }

    /// <summary>Called after the actor stopped (mailbox closed; later sends are dead letters).</summary>
    protected virtual void PostStop() { }

    /// <summary>Called on the failing instance before a restart; by default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in _cell.Children)
        {
            _cell.Unwatch(child);
            _cell.Stop(child);
        }
        PostStop();
    }

    /// <summary>Called on the new instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Wraps <see cref="PreStart"/>.</summary>
    protected internal virtual void AroundPreStart() => PreStart();

    /// <summary>Wraps <see cref="PostStop"/>.</summary>
    protected internal virtual void AroundPostStop() => PostStop();

    /// <summary>Wraps <see cref="PreRestart"/>.</summary>
    protected internal virtual void AroundPreRestart(Exception cause, object? message) => PreRestart(cause, message);

    /// <summary>Wraps <see cref="PostRestart"/>.</summary>
    protected internal virtual void AroundPostRestart(Exception cause) => PostRestart(cause);

    /// <summary>The strategy supervising this actor's children; default is <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => _cell.Props.SupervisorStrategy ?? Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>Makes <see cref="Sender"/> return <paramref name="sender"/> for the rest of the current turn (used when replaying deferred handlers).</summary>
    protected void RestoreSender(IActorRef? sender) => _cell.SetCurrentSender(sender);

    /// <summary>
    /// Creates an extra, independent stash bound to this actor incarnation; unstashed messages go to the front of the
    /// mailbox. Messages still in it when the actor stops become dead letters; on a restart they are unstashed to the
    /// front of the mailbox before <c>PreRestart</c>, like <see cref="IWithStash"/>'s.
    /// </summary>
    protected IStash CreateStash() => _cell.CreateExtraStash();

    /// <summary>Replaces the current behaviour (Akka's <c>Become</c>).</summary>
    protected void Become(Receive receive) => _cell.Become(receive);

    /// <summary>Pushes a behaviour.</summary>
    protected void BecomeStacked(Receive receive) => _cell.BecomeStacked(receive);

    /// <summary>Pops a behaviour.</summary>
    protected void UnbecomeStacked() => _cell.UnbecomeStacked();

    /// <summary>Sends <see cref="PoisonPill"/>-like stop to Self: Context.Stop(Self).</summary>
    protected void StopSelf() => _cell.Stop(_cell.Self);
}

/// <summary>An actor with a single <see cref="OnReceive"/> method; call <c>Unhandled(message)</c> for what it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles a message.</summary>
    protected abstract void OnReceive(object message);

    /// <inheritdoc />
    protected sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Replaces the behaviour with <paramref name="receive"/>.</summary>
    protected void Become(Action<object> receive) => Become(m => { receive(m); return true; });

    /// <summary>Pushes <paramref name="receive"/> on the behaviour stack.</summary>
    protected void BecomeStacked(Action<object> receive) => BecomeStacked(m => { receive(m); return true; });
}
