using System.Threading.Channels;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Persistence.Sql.Fencing;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// Consumes one target's inbox while this node holds the target's lease: decodes each message, starts its handling in
/// inbox order (so each actor sees its commands in that order), and completes the messages in the same order with
/// their replies, fenced by the lease (a stale owner cannot complete). A message whose handling fails or times out is
/// left pending: the consumer restarts its read after the poll interval and the message is delivered again (the
/// account's receipts make the retry harmless).
/// </summary>
internal sealed class InboxConsumer
{
    private readonly ClusterInbox _inbox;
    private readonly string _target;
    private readonly Lease _lease;
    private readonly Func<InboxMessage, object, CancellationToken, Task<object>> _handle;
    private readonly int _maxInFlight;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _loop = Task.CompletedTask;
    private long _completed;

    public InboxConsumer(ClusterInbox inbox, string target, Lease lease, Func<InboxMessage, object, CancellationToken, Task<object>> handle, int maxInFlight, TimeSpan retryAfter, ILogger log)
    {
        _inbox = inbox;
        _target = target;
        _lease = lease;
        _handle = handle;
        _maxInFlight = Math.Max(1, maxInFlight);
        _retryAfter = retryAfter;
        _log = log;
    }

    /// <summary>Messages completed so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Stops reading new messages; waits up to <paramref name="drain"/> for the ones already started to be answered and
    /// completed, then abandons the rest (they stay pending for the next owner).
    /// </summary>
    public async Task StopAsync(TimeSpan drain)
    {
        await _stopReading.CancelAsync().ConfigureAwait(false);
        _abort.CancelAfter(drain);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            _stopReading.Dispose();
            _abort.Dispose();
        }
    }

    private async Task RunAsync()
    {
        while (!_stopReading.IsCancellationRequested && !_lease.IsLost)
        {
            try
            {
                var clean = await RunOnceAsync().ConfigureAwait(false);
                if (clean || _stopReading.IsCancellationRequested)
                {
                    continue;
                }

                await Task.Delay(_retryAfter, _stopReading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.Warning("Inbox {Target} consumer failed, restarting in {Delay}: {Error}", _target, _retryAfter, e.Message);
                try
                {
                    await Task.Delay(_retryAfter, _stopReading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One read pass; false when it ended because a message could not be answered (read again later).</summary>
    private async Task<bool> RunOnceAsync()
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(_stopReading.Token);
        var pending = Channel.CreateBounded<(InboxMessage Message, Task<object> Reply)>(new BoundedChannelOptions(_maxInFlight) { SingleReader = true, SingleWriter = true });
        var completer = Task.Run(() => CompleteInOrderAsync(pending.Reader, failed));
        try
        {
            await foreach (var message in _inbox.ConsumeAsync(_target, failed.Token).ConfigureAwait(false))
            {
                Task<object> reply;
                try
                {
                    var decoded = MessageCodec.Decode(message.Type, message.Payload);
                    reply = _handle(message, decoded, _abort.Token);
                }
                catch (UnknownMessageTypeException e)
                {
                    reply = Task.FromResult<object>(new MessageError("unknown-type", e.Message));
                }
                catch (MalformedMessageException e)
                {
                    reply = Task.FromResult<object>(new MessageError("malformed", e.Message));
                }

                await pending.Writer.WriteAsync((message, reply), failed.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // Stopped, or the completer gave up on a message.
        }
        finally
        {
            pending.Writer.TryComplete();
        }

        return await completer.ConfigureAwait(false);
    }

    private async Task<bool> CompleteInOrderAsync(ChannelReader<(InboxMessage Message, Task<object> Reply)> reader, CancellationTokenSource failed)
    {
        var clean = true;
        await foreach (var (message, replyTask) in reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!clean)
            {
                continue; // after a failure the rest stays pending: redelivered in order on the next pass
            }

            object reply;
            try
            {
                reply = await replyTask.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.Warning("Inbox {Target}: message {Id} ({Type}, command {CommandId}) got no answer, it stays pending: {Error}", _target, message.Id, message.Type, message.CommandId, e.Message);
                clean = false;
                await failed.CancelAsync().ConfigureAwait(false);
                continue;
            }

            try
            {
                await _inbox.CompleteAsync(message, MessageCodec.EncodeReply(reply), _lease, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _completed);
            }
            catch (WriteFencedException e)
            {
                _log.Warning("Inbox {Target}: completing message {Id} was fenced, stopping: {Error}", _target, message.Id, e.Message);
                clean = false;
                await _stopReading.CancelAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.Warning("Inbox {Target}: completing message {Id} failed, it stays pending: {Error}", _target, message.Id, e.Message);
                clean = false;
                await failed.CancelAsync().ConfigureAwait(false);
            }
        }

        return clean;
    }
}
