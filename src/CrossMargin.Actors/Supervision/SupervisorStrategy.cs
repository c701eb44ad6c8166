namespace CrossMargin.Actors;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; continue with the next message.</summary>
    Resume,

    /// <summary>Replace the instance (new object from Props); the failing message is dropped, the mailbox kept.</summary>
    Restart,

    /// <summary>Stop the child permanently.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception.</summary>
    Escalate,
}

/// <summary>Decides what happens to failed children. Decide runs on the supervisor's turn; inside it <c>Sender</c> is the failed child.</summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed: -1 or null unlimited, 0 never (the child is stopped).</param>
    /// <param name="withinTimeRange">Window for counting restarts; null counts over the child's whole life.</param>
    /// <param name="decider">Maps an exception to a directive.</param>
    /// <param name="loggingEnabled">Log failures (Resume as Warning, Restart/Stop as Error).</param>
    protected SupervisorStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled)
    {
        MaxNumberOfRetries = maxNrOfRetries ?? -1;
        WithinTimeRange = withinTimeRange is { } w && w > TimeSpan.Zero && w != Timeout.InfiniteTimeSpan ? w : null;
        Decider = decider ?? throw new ArgumentNullException(nameof(decider));
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Akka's default decider: ActorInitialization/ActorKilled/DeathPact → Stop, any other exception → Restart.</summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary><c>OneForOneStrategy(DefaultDecider)</c> with unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Restarts allowed (-1 = unlimited).</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The restart window, or null.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>The decider.</summary>
    public Func<Exception, Directive> Decider { get; }

    /// <summary>Whether failures are logged.</summary>
    public bool LoggingEnabled { get; }

    /// <summary>Applies the decider.</summary>
    public Directive Decide(Exception exception) => Decider(exception);

    /// <summary>Akka's ChildRestartStats.RequestRestartPermission: counts this restart and says whether it is allowed.</summary>
    internal bool RequestRestartPermission(ChildRestartStats stats, DateTimeOffset now)
    {
        var max = MaxNumberOfRetries;
        if (max == 0) return false;
        if (WithinTimeRange is not { } window)
        {
            if (max < 0) return true;
            stats.RestartCount++;
            return stats.RestartCount <= max;
        }
        if (max < 0) max = 1;
        if (stats.WindowStart is not { } start || now - start > window)
        {
            stats.WindowStart = now;
            stats.RestartCount = 1;
            return true;
        }
        stats.RestartCount++;
        return stats.RestartCount <= max;
    }
}

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy; see <see cref="SupervisorStrategy"/> for the retry rules.</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, localOnlyDecider, loggingEnabled) { }

    /// <summary>Creates the strategy with unlimited restarts.</summary>
    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider) : base(null, null, localOnlyDecider, true) { }
}

/// <summary>Applies Restart and Stop to all children (Resume and Escalate concern the failed child only).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy; see <see cref="SupervisorStrategy"/> for the retry rules.</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, localOnlyDecider, loggingEnabled) { }

    /// <summary>Creates the strategy with unlimited restarts.</summary>
    public AllForOneStrategy(Func<Exception, Directive> localOnlyDecider) : base(null, null, localOnlyDecider, true) { }
}
