namespace CrossMargin.Actors;

/// <summary>Marker for messages that do not reset an actor's receive timeout.</summary>
public interface INotInfluenceReceiveTimeout { }

/// <summary>An ordinary message that stops the receiving actor after the messages queued before it.</summary>
public sealed class PoisonPill
{
    private PoisonPill() { }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the receiving actor throw <see cref="ActorKilledException"/> (default supervision: Stop).</summary>
public sealed class Kill
{
    private Kill() { }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}

/// <summary>Sent to the actor after a period of inactivity set with <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    private ReceiveTimeout() { }

    /// <summary>The single instance.</summary>
    public static ReceiveTimeout Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Delivered to a watcher when a watched actor has stopped (also when it was already dead at Watch time).</summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">True when the actor was known to have existed.</param>
/// <param name="AddressTerminated">Always false here (no remoting).</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated);

/// <summary>Status replies; a <see cref="Failure"/> reply faults an Ask.</summary>
public static class Status
{
    /// <summary>A successful reply carrying an optional status value.</summary>
    /// <param name="StatusValue">The value.</param>
    public sealed record Success(object? StatusValue);

    /// <summary>A failed reply; an Ask receiving it faults with <paramref name="Cause"/>.</summary>
    /// <param name="Cause">The failure.</param>
    public sealed record Failure(Exception Cause);
}

/// <summary>A message that could not be delivered (recipient stopped or mailbox full); published on the event stream.</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Its sender (DeadLetters when none).</param>
/// <param name="Recipient">The intended recipient.</param>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message no behaviour of the recipient handled; published on the event stream.</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender.</param>
/// <param name="Recipient">The actor that did not handle it.</param>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);
