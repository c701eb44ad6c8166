using CrossMargin.Actors.Benchmarks.Harness;

namespace CrossMargin.Actors.Benchmarks.Rigs;

/// <summary>Ping-pong through the actor kernel: each pair is two <see cref="ReceiveActor"/>s on the default dispatcher.</summary>
public sealed class KernelPingPong : IPingPongRig
{
    private readonly ActorSystem _system;
    private readonly IActorRef[] _pingers;

    public KernelPingPong(int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pairs);
        _system = ActorSystem.Create("bench-pingpong");
        _pingers = new IActorRef[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var ponger = _system.ActorOf(Props.Create(() => new Ponger()), $"pong-{i}");
            _pingers[i] = _system.ActorOf(Props.Create(() => new Pinger(ponger)), $"ping-{i}");
        }
    }

    public int Pairs => _pingers.Length;

    public Task RunAsync(int inFlight, long quotaPerPair)
    {
        var done = new Countdown(_pingers.Length);
        var start = new StartRound(inFlight, quotaPerPair, done);
        foreach (var pinger in _pingers) pinger.Tell(start, ActorRefs.NoSender);
        return done.WaitAsync(Timeouts.Round, $"kernel ping-pong ({Pairs} pairs, {inFlight} in flight)");
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().WaitAsync(Timeouts.Setup).ConfigureAwait(false);

    private sealed class Pinger : ReceiveActor
    {
        private long _sent;
        private long _received;
        private long _quota;
        private Countdown? _done;

        public Pinger(IActorRef ponger)
        {
            // The hot handler first: ReceiveActor tries handlers in registration order.
            Receive<Ball>(ball =>
            {
                _received++;
                if (_sent < _quota)
                {
                    _sent++;
                    ponger.Tell(ball, Self);
                }
                else if (_received == _quota)
                {
                    _done!.Signal();
                }
            });
            Receive<StartRound>(start =>
            {
                (_sent, _received, _quota, _done) = (0, 0, start.Quota, start.Done);
                var first = Math.Min(start.InFlight, start.Quota);
                for (var i = 0; i < first; i++)
                {
                    _sent++;
                    ponger.Tell(Ball.Instance, Self);
                }
            });
        }
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<Ball>(ball => Sender.Tell(ball, Self));
    }
}
