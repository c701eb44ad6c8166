using System.Threading.Channels;
using CrossMargin.Actors.Benchmarks.Harness;

namespace CrossMargin.Actors.Benchmarks.Rigs;

/// <summary>
/// The baseline: the same ping-pong with one unbounded <see cref="Channel{T}"/> and one consumer task per "actor"
/// (single reader, any writer — the shape of an actor mailbox). Each consumer drains what is there, then awaits.
/// </summary>
public sealed class RawPingPong : IPingPongRig
{
    private static readonly UnboundedChannelOptions MailboxOptions = new()
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    };

    private readonly Channel<object>[] _pingBoxes;
    private readonly Channel<object>[] _pongBoxes;
    private readonly Task[] _loops;

    public RawPingPong(int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pairs);
        _pingBoxes = new Channel<object>[pairs];
        _pongBoxes = new Channel<object>[pairs];
        _loops = new Task[2 * pairs];
        for (var i = 0; i < pairs; i++)
        {
            _pingBoxes[i] = Channel.CreateUnbounded<object>(MailboxOptions);
            _pongBoxes[i] = Channel.CreateUnbounded<object>(MailboxOptions);
            _loops[2 * i] = PingLoop(_pingBoxes[i].Reader, _pongBoxes[i].Writer);
            _loops[2 * i + 1] = PongLoop(_pongBoxes[i].Reader, _pingBoxes[i].Writer);
        }
    }

    public int Pairs => _pingBoxes.Length;

    public Task RunAsync(int inFlight, long quotaPerPair)
    {
        var done = new Countdown(_pingBoxes.Length);
        var start = new StartRound(inFlight, quotaPerPair, done);
        foreach (var box in _pingBoxes) box.Writer.TryWrite(start);
        return done.WaitAsync(Timeouts.Round, $"raw ping-pong ({Pairs} pairs, {inFlight} in flight)");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _pingBoxes) c.Writer.TryComplete();
        foreach (var c in _pongBoxes) c.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(Timeouts.Setup).ConfigureAwait(false);
    }

    private static async Task PingLoop(ChannelReader<object> inbox, ChannelWriter<object> ponger)
    {
        long sent = 0, received = 0, quota = 0;
        Countdown? done = null;
        while (await inbox.WaitToReadAsync().ConfigureAwait(false))
        {
            while (inbox.TryRead(out var message))
            {
                if (message is Ball ball)
                {
                    received++;
                    if (sent < quota)
                    {
                        sent++;
                        ponger.TryWrite(ball);
                    }
                    else if (received == quota)
                    {
                        done!.Signal();
                    }
                }
                else if (message is StartRound start)
                {
                    (sent, received, quota, done) = (0, 0, start.Quota, start.Done);
                    var first = Math.Min(start.InFlight, start.Quota);
                    for (var i = 0; i < first; i++)
                    {
                        sent++;
                        ponger.TryWrite(Ball.Instance);
                    }
                }
            }
        }
    }

    private static async Task PongLoop(ChannelReader<object> inbox, ChannelWriter<object> pinger)
    {
        while (await inbox.WaitToReadAsync().ConfigureAwait(false))
            while (inbox.TryRead(out var message))
                pinger.TryWrite(message);
    }
}
