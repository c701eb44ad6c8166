namespace CrossMargin.Actors;

/// <summary>
/// The kernel's settings (HOCON section <c>crossmargin.actor</c>; defaults in hocon/reference.conf).
/// </summary>
public sealed record ActorSystemSettings
{
    /// <summary>Built-in defaults, identical to reference.conf.</summary>
    public static ActorSystemSettings Default { get; } = new();

    /// <summary><c>default-dispatcher.throughput</c>: user messages per turn before yielding (default 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary><c>dispatcher</c>: <c>"default"</c> (thread pool) or <c>"deterministic"</c> (one caller-driven loop, virtual time).</summary>
    public string DispatcherType { get; init; } = "default";

    /// <summary><c>ask-timeout</c>: Ask timeout when none is given; null = infinite (Akka's default).</summary>
    public TimeSpan? AskTimeout { get; init; }

    /// <summary><c>mailbox.bounded-capacity</c>: capacity of <c>bounded-mailbox</c> (default 1000).</summary>
    public int BoundedMailboxCapacity { get; init; } = 1000;

    /// <summary><c>log-dead-letters</c>: how many dead letters to log (0 = none; later ones are only published).</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary><c>log-dead-letters-during-shutdown</c>: also log dead letters once termination started.</summary>
    public bool LogDeadLettersDuringShutdown { get; init; }

    /// <summary>Throughput of extra dispatcher ids usable with <c>Props.WithDispatcher</c> (<c>crossmargin.actor.dispatchers.&lt;id&gt;.throughput</c>).</summary>
    public IReadOnlyDictionary<string, int> Dispatchers { get; init; } = new Dictionary<string, int>();
}

/// <summary>Programmatic options for <see cref="ActorSystem.Create(string, ActorSystemSetup)"/>.</summary>
public sealed record ActorSystemSetup
{
    /// <summary>Settings; null = <see cref="ActorSystemSettings.Default"/>.</summary>
    public ActorSystemSettings? Settings { get; init; }

    /// <summary>Clock for the scheduler, timers, receive timeouts and supervision windows. Null = real time,
    /// or a new <see cref="VirtualTimeProvider"/> for a deterministic system.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Serilog logger; null = <c>Serilog.Log.Logger</c>.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>Run on the deterministic dispatcher (overrides <see cref="ActorSystemSettings.DispatcherType"/>).</summary>
    public bool? Deterministic { get; init; }
}

/// <summary>Reads <see cref="ActorSystemSettings"/> from HOCON.</summary>
public static class ActorSystemSettingsConfig
{
    /// <summary>The root path of the kernel's keys.</summary>
    public const string Section = "crossmargin.actor";

    /// <summary>
    /// Reads <c>crossmargin.actor.*</c> from <paramref name="config"/> (missing keys take the built-in defaults, which equal
    /// reference.conf). Throws <see cref="CrossMargin.Hocon.ConfigurationException"/> naming the key for a wrong type, and
    /// <see cref="ArgumentException"/> naming the key for an out-of-range value.
    /// </summary>
    public static ActorSystemSettings FromConfig(CrossMargin.Hocon.Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = ActorSystemSettings.Default;
        var throughput = config.GetInt(Section + ".default-dispatcher.throughput", d.Throughput);
        if (throughput <= 0) throw new ArgumentException($"{Section}.default-dispatcher.throughput must be positive, was {throughput}");
        var capacity = config.GetInt(Section + ".mailbox.bounded-capacity", d.BoundedMailboxCapacity);
        if (capacity <= 0) throw new ArgumentException($"{Section}.mailbox.bounded-capacity must be positive, was {capacity}");
        var dispatcher = config.GetString(Section + ".dispatcher", d.DispatcherType);
        if (dispatcher is not ("default" or "deterministic"))
            throw new ArgumentException($"{Section}.dispatcher must be \"default\" or \"deterministic\", was \"{dispatcher}\"");
        TimeSpan? ask = config.HasPath(Section + ".ask-timeout") ? config.GetTimeSpan(Section + ".ask-timeout", allowInfinite: true) : null;
        if (ask == Timeout.InfiniteTimeSpan || ask <= TimeSpan.Zero) ask = null;
        var dispatchers = new Dictionary<string, int>(StringComparer.Ordinal);
        if (config.HasPath(Section + ".dispatchers"))
        {
            foreach (var id in config.GetKeys(Section + ".dispatchers"))
            {
                var key = $"{Section}.dispatchers.\"{id}\".throughput";
                var t = config.GetInt(key, d.Throughput);
                if (t <= 0) throw new ArgumentException($"{key} must be positive, was {t}");
                dispatchers[id] = t;
            }
        }
        return new ActorSystemSettings
        {
            Throughput = throughput,
            DispatcherType = dispatcher,
            AskTimeout = ask,
            BoundedMailboxCapacity = capacity,
            LogDeadLetters = ReadDeadLetterLimit(config, d.LogDeadLetters),
            LogDeadLettersDuringShutdown = config.GetBoolean(Section + ".log-dead-letters-during-shutdown", d.LogDeadLettersDuringShutdown),
            Dispatchers = dispatchers,
        };
    }

    private static int ReadDeadLetterLimit(CrossMargin.Hocon.Config config, int fallback)
    {
        const string key = Section + ".log-dead-letters";
        var text = config.GetString(key, null);
        if (text == null) return fallback;
        switch (text.Trim().ToLowerInvariant())
        {
            case "on" or "true" or "yes": return int.MaxValue;
            case "off" or "false" or "no": return 0;
        }
        var n = config.GetInt(key);
        if (n < 0) throw new ArgumentException($"{key} must be on, off or a count >= 0, was {n}");
        return n;
    }
}
