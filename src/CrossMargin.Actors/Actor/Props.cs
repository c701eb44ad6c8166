namespace CrossMargin.Actors;

/// <summary>
/// An immutable, shareable recipe for creating an actor. The factory runs once per incarnation (again on every restart).
/// </summary>
public sealed class Props
{
    /// <summary>The id of the default dispatcher.</summary>
    public const string DefaultDispatcherId = "default-dispatcher";

    /// <summary>The id of the default (unbounded) mailbox.</summary>
    public const string DefaultMailboxId = "default-mailbox";

    /// <summary>The id of the bounded mailbox (capacity <c>crossmargin.actor.mailbox.bounded-capacity</c>).</summary>
    public const string BoundedMailboxId = "bounded-mailbox";

    private Props(Type type, Func<ActorBase> factory)
    {
        ActorType = type;
        Factory = factory;
    }

    /// <summary>The actor's type.</summary>
    public Type ActorType { get; }

    /// <summary>Creates a new actor instance.</summary>
    internal Func<ActorBase> Factory { get; }

    /// <summary>The dispatcher id (<see cref="DefaultDispatcherId"/> unless set).</summary>
    public string Dispatcher { get; private init; } = DefaultDispatcherId;

    /// <summary>The mailbox id (<see cref="DefaultMailboxId"/> unless set).</summary>
    public string Mailbox { get; private init; } = DefaultMailboxId;

    /// <summary>Bounded mailbox capacity when set with <see cref="WithBoundedMailbox"/>; otherwise taken from settings.</summary>
    public int? MailboxCapacity { get; private init; }

    /// <summary>A supervisor strategy overriding the actor's <c>SupervisorStrategy()</c>, or null.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; private init; }

    /// <summary>Props for <typeparamref name="T"/> created with its parameterless constructor.</summary>
    public static Props Create<T>() where T : ActorBase, new() => new(typeof(T), static () => new T());

    /// <summary>Props from a factory, e.g. <c>Props.Create(() =&gt; new Account(id))</c>. The factory is called on every (re)start.</summary>
    public static Props Create<T>(Func<T> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(typeof(T), factory);
    }

    /// <summary>Props for <paramref name="type"/> constructed with <paramref name="args"/> by reflection.</summary>
    public static Props Create(Type type, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(ActorBase).IsAssignableFrom(type)) throw new ArgumentException($"Type {type} is not an actor (ActorBase).", nameof(type));
        return new(type, () => (ActorBase)Activator.CreateInstance(type, args)!);
    }

    /// <summary>Returns a copy running on dispatcher <paramref name="dispatcherId"/>.</summary>
    public Props WithDispatcher(string dispatcherId) => new(ActorType, Factory)
    { Dispatcher = dispatcherId, Mailbox = Mailbox, MailboxCapacity = MailboxCapacity, SupervisorStrategy = SupervisorStrategy };

    /// <summary>Returns a copy using mailbox <paramref name="mailboxId"/> (<see cref="DefaultMailboxId"/> or <see cref="BoundedMailboxId"/>).</summary>
    public Props WithMailbox(string mailboxId) => new(ActorType, Factory)
    { Dispatcher = Dispatcher, Mailbox = mailboxId, MailboxCapacity = MailboxCapacity, SupervisorStrategy = SupervisorStrategy };

    /// <summary>Returns a copy with a bounded mailbox of <paramref name="capacity"/> messages; overflow goes to dead letters.</summary>
    public Props WithBoundedMailbox(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");
        return new(ActorType, Factory)
        { Dispatcher = Dispatcher, Mailbox = BoundedMailboxId, MailboxCapacity = capacity, SupervisorStrategy = SupervisorStrategy };
    }

    /// <summary>Returns a copy whose children are supervised by <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(ActorType, Factory)
    { Dispatcher = Dispatcher, Mailbox = Mailbox, MailboxCapacity = MailboxCapacity, SupervisorStrategy = strategy };
}
