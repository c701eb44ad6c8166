using Serilog;

namespace CrossMargin.Actors;

/// <summary>
/// A hierarchy of actors with its dispatcher, scheduler, event stream and dead letters. Paths look like
/// <c>cm://name/user/...</c>. Create with <see cref="Create(string)"/>; stop with <see cref="Terminate"/>.
/// </summary>
/// <remarks>
/// Deterministic systems (<c>crossmargin.actor.dispatcher = deterministic</c> or <see cref="ActorSystemSetup.Deterministic"/>)
/// process nothing until the caller drives them with <see cref="RunUntilIdle"/> or <see cref="RunFor"/>.
/// </remarks>
public sealed class ActorSystem : IDisposable
{
    private readonly MessageDispatcher _dispatcher;
    private readonly Dictionary<string, MessageDispatcher> _dispatchers = new(StringComparer.Ordinal);
    private readonly TimeProviderScheduler _scheduler;
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tempCounter;
    private long _uidCounter;
    private long _deadLetterCount;
    private volatile bool _terminating;

    private ActorSystem(string name, ActorSystemSetup setup)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            throw new ArgumentException($"Invalid actor system name [{name}]: use ASCII letters, digits, '-' and '_'.", nameof(name));
        Name = name;
        Settings = setup.Settings ?? ActorSystemSettings.Default;
        if (Settings.Throughput <= 0) throw new ArgumentException($"crossmargin.actor.default-dispatcher.throughput must be positive, was {Settings.Throughput}");
        IsDeterministic = setup.Deterministic ?? string.Equals(Settings.DispatcherType, "deterministic", StringComparison.OrdinalIgnoreCase);
        if (!IsDeterministic && !string.Equals(Settings.DispatcherType, "default", StringComparison.OrdinalIgnoreCase) && setup.Deterministic == null)
            throw new ArgumentException($"crossmargin.actor.dispatcher must be \"default\" or \"deterministic\", was \"{Settings.DispatcherType}\"");
        TimeProvider = setup.TimeProvider ?? (IsDeterministic ? new VirtualTimeProvider() : TimeProvider.System);
        if (IsDeterministic && TimeProvider is not VirtualTimeProvider)
            throw new ArgumentException("A deterministic actor system needs a VirtualTimeProvider (or none).");
        Logger = (setup.Logger ?? Serilog.Log.Logger).ForContext("ActorSystem", name);
        _dispatcher = IsDeterministic ? new DeterministicDispatcher(Settings.Throughput) : new ThreadPoolDispatcher(Settings.Throughput);
        _dispatchers[Props.DefaultDispatcherId] = _dispatcher;
        foreach (var (id, throughput) in Settings.Dispatchers)
            _dispatchers[id] = IsDeterministic ? _dispatcher : new ThreadPoolDispatcher(throughput);
        _scheduler = new TimeProviderScheduler(TimeProvider);
        EventStream = new EventStream(Logger);
        var rootPath = ActorPath.Root(name);
        DeadLetters = new DeadLettersRef(this, rootPath.Child("deadLetters"));
        _root = new ActorCell(this, null, rootPath, Props.Create(() => new RootGuardian()), _dispatcher, 0);
        _root.PostSystem(new Create());
        _userGuardian = _root.CreateChild(Props.Create(() => new GuardianActor()), "user");
        _systemGuardian = _root.CreateChild(Props.Create(() => new GuardianActor()), "system");
    }

    /// <summary>Creates a system with the built-in defaults (real time, thread-pool dispatcher).</summary>
    public static ActorSystem Create(string name) => new(name, new ActorSystemSetup());

    /// <summary>
    /// Creates a system configured by <c>crossmargin.actor.*</c> of <paramref name="config"/>, falling back to reference.conf
    /// (<see cref="CrossMargin.Hocon.ConfigurationFactory.Default"/>). With <c>dispatcher = deterministic</c> the clock is virtual.
    /// </summary>
    public static ActorSystem Create(string name, CrossMargin.Hocon.Config config) =>
        Create(name, config, new ActorSystemSetup());

    /// <summary>As <see cref="Create(string, CrossMargin.Hocon.Config)"/>, with options for what HOCON cannot say (clock, logger).</summary>
    public static ActorSystem Create(string name, CrossMargin.Hocon.Config config, ActorSystemSetup setup)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(setup);
        var merged = config.WithFallback(CrossMargin.Hocon.ConfigurationFactory.Default());
        return new(name, setup with { Settings = ActorSystemSettingsConfig.FromConfig(merged) });
    }

    /// <summary>Creates a system with explicit options (clock, logger, settings, deterministic mode).</summary>
    public static ActorSystem Create(string name, ActorSystemSetup setup) => new(name, setup ?? throw new ArgumentNullException(nameof(setup)));

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The effective settings.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>True when all actors run on the caller-driven deterministic loop.</summary>
    public bool IsDeterministic { get; }

    /// <summary>The clock driving the scheduler, timers and receive timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The scheduler.</summary>
    public IScheduler Scheduler => _scheduler;

    /// <summary>The event stream (dead letters, unhandled messages, user events).</summary>
    public EventStream EventStream { get; }

    /// <summary>Where undeliverable messages go; each is published as <see cref="DeadLetter"/> and the first ones are logged.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>The system's Serilog logger (property <c>ActorSystem</c> set).</summary>
    public ILogger Logger { get; }

    internal ILogger Log => Logger;

    /// <summary>Completes when the system has terminated (all actors stopped, PostStop run, scheduler cancelled).</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates a top-level actor under <c>/user</c>. Thread-safe. Throws <see cref="InvalidActorNameException"/> for a bad or duplicate name.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.CreateChild(props, name).SelfRef;

    /// <summary>
    /// Creates a top-level actor under <c>/system</c>, for infrastructure (journals, loggers) that must outlive user
    /// actors: on <see cref="Terminate"/> the whole <c>/user</c> tree stops (PostStop run) before <c>/system</c> is
    /// stopped. Thread-safe. Throws <see cref="InvalidActorNameException"/> for a bad or duplicate name.
    /// </summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.CreateChild(props, name).SelfRef;

    /// <summary>Stops <paramref name="actor"/> asynchronously.</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is LocalActorRef { Cell: var cell } && cell.Parent is LocalActorRef { Cell: var parent }) parent.Stop(actor);
        else if (actor is LocalActorRef l) l.SendSystemMessage(new Terminate());
    }

    /// <summary>
    /// Creates a ref that runs <paramref name="onMessage"/> synchronously for every message told to it (no mailbox);
    /// it can watch actors (see <see cref="FunctionRef.Watch"/>). The callback must be thread-safe.
    /// </summary>
    public FunctionRef CreateFunctionRef(Action<object, IActorRef?> onMessage, string? name = null) =>
        new(this, ActorPath.Root(Name).Child("temp").Child(name ?? "$f" + Interlocked.Increment(ref _tempCounter)), onMessage);

    /// <summary>The next incarnation uid of this system (1, 2, …): per system, so equal runs print equal refs.</summary>
    internal long NextUid() => Interlocked.Increment(ref _uidCounter);

    internal ActorPath NewTempPath() => ActorPath.Root(Name).Child("temp").Child("$" + Interlocked.Increment(ref _tempCounter));

    /// <summary>
    /// Stops all actors (children before parents, PostStop run) and cancels scheduled tasks. As in Akka, <c>/user</c> stops
    /// first and <c>/system</c> only once <c>/user</c> has fully terminated. On a deterministic system
    /// called from outside its loop, this also runs the loop until the system has terminated.
    /// </summary>
    public Task Terminate()
    {
        _terminating = true;
        _root.PostSystem(new Terminate());
        if (_dispatcher is DeterministicDispatcher d && !d.IsRunningOnThisThread) d.RunUntilIdle();
        return WhenTerminated;
    }

    /// <summary>Terminates and waits (up to 10 s; use <see cref="Terminate"/> to control the wait).</summary>
    public void Dispose() => Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>
    /// Deterministic systems: runs actor turns until no actor has a message, without moving the clock. Returns the number
    /// of turns run. Must be called from outside the system's actors; not thread-safe with itself.
    /// </summary>
    /// <exception cref="InvalidOperationException">On a thread-pool system.</exception>
    public long RunUntilIdle() => Deterministic().RunUntilIdle();

    /// <summary>
    /// Deterministic systems: advances the virtual clock by <paramref name="duration"/>, firing timers in due order and
    /// running all resulting messages to idleness after each firing instant.
    /// </summary>
    public long RunFor(TimeSpan duration)
    {
        var d = Deterministic();
        var clock = (VirtualTimeProvider)TimeProvider;
        var end = clock.GetUtcNow() + duration;
        var turns = d.RunUntilIdle();
        while (clock.NextDueTime is { } next && next <= end)
        {
            clock.AdvanceTo(next);
            turns += d.RunUntilIdle();
        }
        clock.AdvanceTo(end);
        return turns + d.RunUntilIdle();
    }

    private DeterministicDispatcher Deterministic() =>
        _dispatcher as DeterministicDispatcher ?? throw new InvalidOperationException($"Actor system {Name} does not use the deterministic dispatcher.");

    internal (MessageDispatcher Dispatcher, int Capacity) ResolveDispatch(Props props)
    {
        if (!_dispatchers.TryGetValue(props.Dispatcher, out var dispatcher))
            throw new ArgumentException($"Unknown dispatcher id [{props.Dispatcher}] for {props.ActorType.Name}; configure crossmargin.actor.dispatchers.{props.Dispatcher}.throughput.");
        var capacity = props.Mailbox switch
        {
            Props.DefaultMailboxId => 0,
            Props.BoundedMailboxId => props.MailboxCapacity ?? Settings.BoundedMailboxCapacity,
            _ => throw new ArgumentException($"Unknown mailbox id [{props.Mailbox}] for {props.ActorType.Name}; use \"{Props.DefaultMailboxId}\" or \"{Props.BoundedMailboxId}\"."),
        };
        return (dispatcher, capacity);
    }

    internal void PublishDeadLetter(DeadLetter letter)
    {
        if (letter.Message is DeadLetter or UnhandledMessage) return; // never loop on undeliverable notifications
        // An Ask whose question could not be delivered (target stopped meanwhile, bounded mailbox full) can never get a
        // reply: fail it now instead of letting it wait for its timeout, which defaults to infinite.
        if (letter.Sender is IAskPromise promise) promise.Undelivered(letter);
        var n = Interlocked.Increment(ref _deadLetterCount);
        if (n <= Settings.LogDeadLetters && (!_terminating || Settings.LogDeadLettersDuringShutdown))
        {
            Logger.ForContext("ActorPath", letter.Recipient.Path.ToString()).Information(
                "Message {MessageType} from {Sender} to {Recipient} was not delivered. {Count} dead letters encountered.",
                letter.Message.GetType().Name, letter.Sender.Path.ToString(), letter.Recipient.Path.ToString(), n);
        }
        EventStream.Publish(letter);
    }

    internal void OnRootTerminated()
    {
        _scheduler.Shutdown();
        _terminated.TrySetResult();
    }

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Name})";

    private sealed class GuardianActor : ActorBase
    {
        protected override bool Receive(object message) => false;
    }

    private sealed class RootGuardian : ActorBase
    {
        protected override void PreStart()
        {
            var user = Context.Child("user");
            if (!ReferenceEquals(user, ActorRefs.Nobody)) Context.Watch(user);
        }

        protected override bool Receive(object message)
        {
            if (message is Terminated) Context.Stop(Self);
            return true;
        }

        protected internal override SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.StoppingStrategy;
    }
}
