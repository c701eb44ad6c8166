namespace CrossMargin.Actors;

/// <summary>A behaviour: returns true when it handled the message.</summary>
public delegate bool Receive(object message);

/// <summary>
/// The actor's view of itself and the system. Only valid on the actor's own turn (handlers, hooks, constructor);
/// never capture it into another thread.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed (DeadLetters when none).</summary>
    IActorRef Sender { get; }

    /// <summary>The parent (supervisor).</summary>
    IActorRef Parent { get; }

    /// <summary>A snapshot of the live children.</summary>
    IReadOnlyCollection<IActorRef> Children { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The system.</summary>
    ActorSystem System { get; }

    /// <summary>The current receive timeout, or null.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>Creates a child; <paramref name="name"/> null gives an automatic <c>$</c>-name.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The live child named <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>Stops <paramref name="actor"/> (a child or Self) asynchronously: its current message finishes, the rest become dead letters.</summary>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="subject"/>: a <see cref="Terminated"/> arrives when it stops, even if it is already dead.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; also drops an already-queued <see cref="Terminated"/> for it.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behaviour.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behaviour on the stack.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the top behaviour (never the initial one).</summary>
    void UnbecomeStacked();

    /// <summary>Sends <see cref="Actors.ReceiveTimeout"/> after <paramref name="timeout"/> without messages; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);
}
