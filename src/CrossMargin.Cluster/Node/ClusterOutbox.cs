using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using CrossMargin.Cluster.Messaging;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// Fire-and-forget sends from actors to other nodes' inboxes, in the order they were posted (one pump), retried until
/// stored. Actors post from their own threads; the pump writes with <see cref="ClusterClient.EnqueueAsync"/>.
/// </summary>
internal sealed class ClusterOutbox : IAsyncDisposable
{
    private readonly Channel<(object Message, Guid CommandId)> _queue = Channel.CreateUnbounded<(object, Guid)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ClusterClient _client;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public ClusterOutbox(ClusterClient client, ILogger log)
    {
        _client = client;
        _log = log;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>A command id derived from <paramref name="key"/>: the same key always gives the same id (an idempotent re-send).</summary>
    public static Guid StableId(string key) => new(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Queues <paramref name="message"/> for its target's inbox under <paramref name="commandId"/> (a fresh id when null).</summary>
    public void Post(object message, Guid? commandId = null) => _queue.Writer.TryWrite((message, commandId ?? Guid.NewGuid()));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (var (message, id) in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    await _client.EnqueueAsync(message, id, _stop.Token).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.Warning("Outbox: sending {Type} failed, retrying: {Error}", message.GetType().Name, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token).ConfigureAwait(false);
                }
            }
        }
    }
}
