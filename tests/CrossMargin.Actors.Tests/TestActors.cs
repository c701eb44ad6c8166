using CrossMargin.Actors;

namespace CrossMargin.Actors.Tests;

/// <summary>Small actors shared by the kernel tests.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m, Self));
}

/// <summary>Forwards everything to a target, keeping the original sender.</summary>
internal sealed class ForwardingActor : ReceiveActor
{
    public ForwardingActor(IActorRef target) => ReceiveAny(m => target.Forward(m));
}

/// <summary>Reports every hook and message to a probe; throws on "boom"; counts incarnations.</summary>
internal sealed class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly int _incarnation;
    private int _state;

    public LifecycleActor(IActorRef probe, int incarnation)
    {
        _probe = probe;
        _incarnation = incarnation;
        probe.Tell($"ctor#{incarnation}");
        Receive<string>(m => m == "boom", _ => throw new InvalidOperationException("boom"));
        Receive<string>(m => m == "state", _ => Sender.Tell(_state));
        Receive<string>(m => { _state++; probe.Tell($"got {m}#{_incarnation}"); });
    }

    public static Props Props(IActorRef probe)
    {
        var n = 0;
        return Actors.Props.Create(() => new LifecycleActor(probe, Interlocked.Increment(ref n)));
    }

    protected override void PreStart() => _probe.Tell($"PreStart#{_incarnation}");

    protected override void PostStop() => _probe.Tell($"PostStop#{_incarnation}");

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"PreRestart#{_incarnation}({message})");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell($"PostRestart#{_incarnation}");
        base.PostRestart(reason);
    }
}

/// <summary>A parent that supervises its children with a given strategy and creates them on request.</summary>
internal sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name)));
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>Throws whatever exception it is sent; otherwise reports its counter.</summary>
internal sealed class Thrower : ReceiveActor
{
    private int _count;

    public Thrower(IActorRef? probe = null)
    {
        Receive<Exception>(ex => throw ex);
        Receive<string>(m => m == "count", _ => Sender.Tell(_count));
        Receive<string>(m => { _count++; probe?.Tell(m); });
    }
}
