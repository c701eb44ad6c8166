using System.Threading.Channels;
using CrossMargin.Actors.Benchmarks.Harness;

namespace CrossMargin.Actors.Benchmarks.Rigs;

/// <summary>
/// The baseline: <see cref="Targets"/> unbounded channels, each with one consumer task parked in
/// <c>WaitToReadAsync</c>; a round writes one <see cref="Hit"/> into each, and the thread pool runs the consumers.
/// </summary>
public sealed class RawFanOut : IFanOutRig
{
    private static readonly UnboundedChannelOptions MailboxOptions = new()
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    };

    private readonly Channel<object>[] _boxes;
    private readonly Task[] _loops;

    public RawFanOut(int targets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targets);
        _boxes = new Channel<object>[targets];
        _loops = new Task[targets];
        for (var i = 0; i < targets; i++)
        {
            _boxes[i] = Channel.CreateUnbounded<object>(MailboxOptions);
            // Runs synchronously up to the first WaitToReadAsync, so every consumer is parked when the constructor returns.
            _loops[i] = Consume(_boxes[i].Reader);
        }
    }

    public int Targets => _boxes.Length;

    public Task RunRoundAsync()
    {
        var done = new Countdown(_boxes.Length);
        var hit = new Hit(done);
        foreach (var box in _boxes) box.Writer.TryWrite(hit);
        return done.WaitAsync(Timeouts.Round, $"raw fan-out to {Targets:N0} channels");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var box in _boxes) box.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(Timeouts.Setup).ConfigureAwait(false);
    }

    private static async Task Consume(ChannelReader<object> inbox)
    {
        while (await inbox.WaitToReadAsync().ConfigureAwait(false))
            while (inbox.TryRead(out var message))
                ((Hit)message).Done.Signal();
    }
}
