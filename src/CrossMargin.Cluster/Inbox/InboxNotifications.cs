using System.Collections.Concurrent;
using Npgsql;
using Serilog;

namespace CrossMargin.Cluster.Inbox;

/// <summary>
/// One LISTEN connection per <see cref="ClusterInbox"/> on channels <c>cm_inbox</c> (payload: target) and
/// <c>cm_reply</c> (payload: command id), turning notifications into wake-ups. Reconnects after a lost connection
/// and then wakes everyone (notifications sent meanwhile are lost; the fallback poll covers them too).
/// </summary>
/// <remarks>
/// The LISTEN connection is the first to see the server go away (a restart ends every session at once). When it is
/// lost, and again once LISTEN is back after a loss, the data source's pool is cleared: Npgsql does not notice that its
/// idle pooled connections died with the old server, and would otherwise hand each of them out once more to fail its
/// next statement (a lease renew, a heartbeat, an inbox completion) after the server is back.
/// </remarks>
internal sealed class InboxNotifications : IAsyncDisposable
{
    public const string InboxChannel = "cm_inbox";
    public const string ReplyChannel = "cm_reply";

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _source;
    private readonly TimeSpan _retry;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Pulse> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Pulse> _replies = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public InboxNotifications(NpgsqlDataSource source, TimeSpan retry, ILogger log)
    {
        _source = source;

        // Reconnect promptly whatever the poll interval: until LISTEN is back, waiters only have the poll.
        _retry = retry > MaxReconnectDelay ? MaxReconnectDelay : retry;
        _log = log;
    }

    /// <summary>Completes once the first LISTEN is in place (or the listener gave up for now).</summary>
    public Task Listening => _listening.Task;

    /// <summary>The current wake-up task for <paramref name="target"/>; take it before querying, then await it.</summary>
    public Task TargetWake(string target)
    {
        EnsureStarted();
        return _targets.GetOrAdd(target, _ => new Pulse()).Current;
    }

    /// <summary>Registers interest in <paramref name="commandId"/>'s reply; the returned task completes on its notification.</summary>
    public Task ReplyWake(Guid commandId)
    {
        EnsureStarted();
        return _replies.GetOrAdd(commandId, _ => new Pulse()).Current;
    }

    /// <summary>Stops watching <paramref name="commandId"/>.</summary>
    public void ForgetReply(Guid commandId) => _replies.TryRemove(commandId, out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        WakeAll();
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_gate)
        {
            _loop ??= Task.Run(ListenLoopAsync, CancellationToken.None);
        }
    }

    private async Task ListenLoopAsync()
    {
        var token = _stop.Token;
        var lost = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(token).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {InboxChannel}; LISTEN {ReplyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                if (lost)
                {
                    // Connections opened before the server came back are dead and must not be handed out again
                    // (clearing also drops the few opened since, which costs only a reconnect).
                    _source.Clear();
                    lost = false;
                    _log.Information("Inbox LISTEN connection re-established; connection pool cleared");
                }

                // Anything notified before LISTEN took effect is seen by the waiters' own queries after this wake.
                WakeAll();
                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!lost)
                {
                    // Lost now (retries are not logged again): the pooled connections are most likely as dead as this one.
                    _log.Warning("Inbox LISTEN connection failed, reconnecting every {Retry}: {Error}", _retry, e.Message);
                    _source.Clear();
                    lost = true;
                }

                _listening.TrySetResult();
                WakeAll();
                try
                {
                    await Task.Delay(_retry, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == InboxChannel)
        {
            if (_targets.TryGetValue(e.Payload, out var pulse))
            {
                pulse.Fire();
            }
        }
        else if (e.Channel == ReplyChannel && Guid.TryParse(e.Payload, out var id) && _replies.TryGetValue(id, out var reply))
        {
            reply.Fire();
        }
    }

    private void WakeAll()
    {
        foreach (var pulse in _targets.Values)
        {
            pulse.Fire();
        }

        foreach (var pulse in _replies.Values)
        {
            pulse.Fire();
        }
    }

    /// <summary>A reusable wake-up: <see cref="Current"/> completes at the next <see cref="Fire"/>.</summary>
    private sealed class Pulse
    {
        private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Current => Volatile.Read(ref _tcs).Task;

        public void Fire() => Interlocked.Exchange(ref _tcs, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
