using System.Globalization;
using CrossMargin.Actors;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// Parent of the persistent actor of one singleton this node runs (a price feed, the liquidation coordinator): forwards
/// every message to it, and when it stops on its own, starts a fresh incarnation after a backoff, as Akka's
/// <c>BackoffSupervisor</c> does.
/// </summary>
/// <remarks>
/// A persistent actor stops itself when its recovery or a journal write fails — what happens to an actor recovering
/// while PostgreSQL restarts, or on a pooled connection the restart broke. The node still holds the singleton's lease
/// then, so without a restart nobody would run the singleton again and every message to it would go unanswered
/// (the stall after a PostgreSQL restart, issue 7). The backoff doubles from <c>minBackoff</c> up to <c>maxBackoff</c>
/// and starts over once an incarnation has lived longer than <c>maxBackoff</c>. No new incarnation is started once
/// <c>keepRunning</c> says no (the lease is lost: the write failed on the fence, and the host is being stopped).
/// While no incarnation runs, a message is answered with <see cref="Status.Failure"/>, so an ask fails at once and the
/// inbox consumer delivers the command again later (nothing was journaled for it). Stopping the supervisor stops the
/// child for good. A host that feeds the child from outside (the coordinator's quote mirrors, its accounts' reports)
/// passes <c>onStarted</c>, called on the supervisor's turn right after each incarnation is created, before any message
/// reaches it, so it can start over with the new incarnation.
/// </remarks>
internal sealed class SingletonSupervisor : ReceiveActor
{
    /// <summary>First wait before a stopped singleton is started again; doubles per failure up to <see cref="DefaultMaxBackoff"/>.</summary>
    public static readonly TimeSpan DefaultMinBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two incarnations.</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Func<Props> _childProps;
    private readonly Action<IActorRef, int>? _onStarted;
    private readonly string _name;
    private readonly TimeSpan _minBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly Func<bool> _keepRunning;
    private readonly ILogger _log;
    private IActorRef? _child;
    private DateTime _childStarted;
    private int _incarnation;
    private int _failures;

    /// <summary>
    /// Creates the supervisor; <paramref name="childProps"/> is called for every incarnation (each gets fresh state);
    /// <paramref name="keepRunning"/> is asked (on the actor's turn) before each restart; <paramref name="onStarted"/>
    /// (optional) gets each new incarnation and its number (1, 2, …) on the supervisor's turn and must not block.
    /// </summary>
    public SingletonSupervisor(Func<Props> childProps, string name, TimeSpan minBackoff, TimeSpan maxBackoff, Func<bool> keepRunning, ILogger log, Action<IActorRef, int>? onStarted = null)
    {
        _childProps = childProps;
        _onStarted = onStarted;
        _name = name;
        _minBackoff = minBackoff;
        _maxBackoff = maxBackoff < minBackoff ? minBackoff : maxBackoff;
        _keepRunning = keepRunning;
        _log = log;
        Receive<StartChild>(_ => Start());
        Receive<Terminated>(OnTerminated);
        ReceiveAny(message =>
        {
            if (_child is { } child)
            {
                child.Forward(message);
            }
            else
            {
                Sender.Tell(new Status.Failure(new InvalidOperationException($"{_name} is not running (starting again after a failure, or its lease is lost); the message is delivered again later")));
            }
        });
    }

    /// <inheritdoc />
    protected override void PreStart() => Start();

    private void Start()
    {
        if (_child is not null || !_keepRunning())
        {
            return;
        }

        _incarnation++;
        _child = Context.ActorOf(_childProps(), string.Create(CultureInfo.InvariantCulture, $"{_name}-{_incarnation}"));
        Context.Watch(_child);
        _childStarted = DateTime.UtcNow;
        if (_incarnation > 1)
        {
            _log.Information("Singleton {Singleton} started again (incarnation {Incarnation})", _name, _incarnation);
        }

        _onStarted?.Invoke(_child, _incarnation);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!ReferenceEquals(terminated.ActorRef, _child))
        {
            return;
        }

        _child = null;
        if (!_keepRunning())
        {
            _log.Information("Singleton {Singleton} stopped after its lease was lost; not started again", _name);
            return;
        }

        // An incarnation that ran a while failed for a new reason: start over from the shortest backoff.
        _failures = DateTime.UtcNow - _childStarted > _maxBackoff ? 1 : _failures + 1;
        var delay = TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, _minBackoff.Ticks * (1L << Math.Min(_failures - 1, 20))));
        _log.Warning("Singleton {Singleton} stopped (a failed recovery or journal write); starting it again in {Delay}", _name, delay);
        Context.System.Scheduler.ScheduleTellOnce(delay, Self, StartChild.Instance, Self);
    }

    private sealed class StartChild
    {
        public static readonly StartChild Instance = new();
    }
}
