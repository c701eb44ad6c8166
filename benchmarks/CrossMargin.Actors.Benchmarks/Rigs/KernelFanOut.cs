using CrossMargin.Actors.Benchmarks.Harness;

namespace CrossMargin.Actors.Benchmarks.Rigs;

/// <summary>
/// <see cref="Targets"/> idle <see cref="ReceiveActor"/>s under <c>/user</c>; a round tells each one the same
/// <see cref="Hit"/> from the caller's thread and waits until every actor has handled it.
/// </summary>
public sealed class KernelFanOut : IFanOutRig
{
    private readonly ActorSystem _system;
    private readonly IActorRef[] _targets;

    private KernelFanOut(ActorSystem system, IActorRef[] targets)
    {
        _system = system;
        _targets = targets;
    }

    public int Targets => _targets.Length;

    /// <summary>The system the targets live in (for the memory probe).</summary>
    public ActorSystem System => _system;

    /// <summary>Creates the actors and returns once every one has run <c>PreStart</c>.</summary>
    public static async Task<KernelFanOut> CreateAsync(int targets, ActorSystem? system = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targets);
        system ??= ActorSystem.Create("bench-fanout");
        var started = new Countdown(targets);
        var props = Props.Create(() => new Target(started));
        var refs = new IActorRef[targets];
        for (var i = 0; i < targets; i++) refs[i] = system.ActorOf(props);
        await started.WaitAsync(Timeouts.Setup, $"starting {targets:N0} actors").ConfigureAwait(false);
        return new KernelFanOut(system, refs);
    }

    public Task RunRoundAsync()
    {
        var done = new Countdown(_targets.Length);
        var hit = new Hit(done);
        foreach (var target in _targets) target.Tell(hit, ActorRefs.NoSender);
        return done.WaitAsync(Timeouts.Round, $"kernel fan-out to {Targets:N0} actors");
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().WaitAsync(Timeouts.Setup).ConfigureAwait(false);

    private sealed class Target : ReceiveActor
    {
        private readonly Countdown _started;

        public Target(Countdown started)
        {
            _started = started;
            Receive<Hit>(hit => hit.Done.Signal());
        }

        protected override void PreStart() => _started.Signal();
    }
}
