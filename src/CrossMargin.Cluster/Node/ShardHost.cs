using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// One shard this node owns: its <see cref="AccountShard"/> actor (account actors spawned on demand, recovering from the
/// journal; their writes pass the epoch fence only under this shard's lease) and the consumer of its inbox.
/// </summary>
internal sealed class ShardHost
{
    /// <summary>First wait before the accounts whose classification failed are classified again; doubles up to <see cref="ReclassifyBackoffMax"/>.</summary>
    private static readonly TimeSpan ReclassifyBackoffMin = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan ReclassifyBackoffMax = TimeSpan.FromSeconds(5);

    private readonly NodeEngine _engine;
    private readonly NodeOptions _options;
    private readonly ILogger _log;
    private readonly InboxConsumer _consumer;
    private readonly CancellationTokenSource _stop = new();
    private Task _classification = Task.CompletedTask;

    private ShardHost(int shard, Lease lease, IActorRef actor, NodeEngine engine, ClusterInbox inbox, NodeOptions options, ILogger log)
    {
        Shard = shard;
        Lease = lease;
        Actor = actor;
        _engine = engine;
        _options = options;
        _log = log;
        _consumer = new InboxConsumer(
            inbox,
            ClusterResources.Shard(shard),
            lease,
            (message, decoded, ct) => AccountDispatch.Start(decoded, message.CommandId, shard, actor, engine, options.CommandTimeout, ct),
            options.InboxBatchSize,
            options.Settings.InboxPollInterval,
            log);
    }

    public int Shard { get; }

    public Lease Lease { get; }

    public IActorRef Actor { get; }

    /// <summary>Inbox messages completed under this lease.</summary>
    public long Completed => _consumer.Completed;

    /// <summary>
    /// Starts the shard's actor, classifies its accounts (they register their bands locally) and starts consuming its
    /// inbox. The classification is confirmed in the background: an account that did not recover is classified again.
    /// </summary>
    public static ShardHost Start(int shard, Lease lease, NodeEngine engine, ClusterInbox inbox, NodeOptions options, ILogger log)
    {
        var wiring = engine.Wiring;
        var name = string.Create(CultureInfo.InvariantCulture, $"shard-{shard}-e{lease.Epoch}");
        var actor = engine.System.ActorOf(Props.Create(() => new AccountShard(wiring)), name);
        engine.Host(shard, actor);
        var host = new ShardHost(shard, lease, actor, engine, inbox, options, log);
        if (options.ClassifyOnAcquire)
        {
            // Told before the inbox is read, so every account is classified before its first command.
            var pending = host.Classify(engine.AccountsOf(shard));
            host._classification = Task.Run(() => host.ConfirmClassificationAsync(pending, host._stop.Token));
        }

        host._consumer.Start();
        return host;
    }

    /// <summary>Tells each account to re-margin at the current prices and asks for its state behind it (answered once it has recovered).</summary>
    private List<(long Account, Task<EngineAccount> Answer)> Classify(IEnumerable<long> accounts)
    {
        var prices = _engine.Wiring.Board.Prices;
        var now = _engine.LastFeedTimeMicros;
        var asks = new List<(long, Task<EngineAccount>)>();
        foreach (var id in accounts)
        {
            Actor.Tell(new MarksChanged(id, prices, now));
            asks.Add((id, Actor.Ask<EngineAccount>(new GetAccountState(id), _options.CommandTimeout, _stop.Token)));
        }

        return asks;
    }

    /// <summary>
    /// Waits for every classified account to answer, and classifies again, with a backoff, the ones that did not: an
    /// account whose recovery failed (the database restarting while the shard was taken, say) has stopped, registered no
    /// band, and would be woken by nothing but a command to it — a price crash would leave it unliquidated. Runs until
    /// every account answered, or the shard is given up.
    /// </summary>
    private async Task ConfirmClassificationAsync(List<(long Account, Task<EngineAccount> Answer)> pending, CancellationToken cancellationToken)
    {
        var delay = ReclassifyBackoffMin;
        try
        {
            while (true)
            {
                var failed = new List<long>();
                foreach (var (account, answer) in pending)
                {
                    try
                    {
                        await answer.ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            return; // the shard is being stopped
                        }

                        // Stopped before answering (a failed recovery), or not recovered within the command timeout.
                        failed.Add(account);
                    }
                }

                if (failed.Count == 0 || Lease.IsLost)
                {
                    return;
                }

                _log.Warning("Shard {Shard} epoch {Epoch}: {Count} account(s) did not recover when classified (first {Account}); classifying them again in {Delay}", Shard, Lease.Epoch, failed.Count, failed[0], delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(ReclassifyBackoffMax.Ticks, delay.Ticks * 2));
                pending = Classify(failed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The shard is being stopped.
        }
    }

    /// <summary>
    /// Stops consuming (the messages already started are answered, up to the hand-off timeout), takes the shard out of
    /// the router, and stops its accounts — each snapshots first when <paramref name="graceful"/> — waiting until they
    /// are gone (forcing them after the hand-off timeout).
    /// </summary>
    public async Task StopAsync(bool graceful)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _classification.ConfigureAwait(false);
        await _consumer.StopAsync(graceful ? _options.HandOffTimeout : TimeSpan.Zero).ConfigureAwait(false);
        _engine.Unhost(Shard, Actor);
        var stopped = await ActorStopper.StopAsync(_engine.System, Actor, new HandOffShard(graceful), _options.HandOffTimeout).ConfigureAwait(false);
        if (!stopped)
        {
            _log.Warning("Shard {Shard} epoch {Epoch}: accounts did not stop within {Timeout}; stopped without waiting for their snapshots", Shard, Lease.Epoch, _options.HandOffTimeout);
        }
    }
}

/// <summary>Stops an actor with a polite message first and waits for its termination.</summary>
internal static class ActorStopper
{
    /// <summary>
    /// Tells <paramref name="actor"/> <paramref name="politeStop"/>; if it has not terminated within
    /// <paramref name="timeout"/> (or there is no polite message), stops it outright. Returns true when the polite stop sufficed.
    /// </summary>
    public static async Task<bool> StopAsync(ActorSystem system, IActorRef actor, object? politeStop, TimeSpan timeout)
    {
        var terminated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = system.CreateFunctionRef((message, _) =>
        {
            if (message is Terminated)
            {
                terminated.TrySetResult();
            }
        });
        watcher.Watch(actor);
        var polite = false;
        if (politeStop is not null)
        {
            actor.Tell(politeStop, watcher);
            polite = await Task.WhenAny(terminated.Task, Task.Delay(timeout)).ConfigureAwait(false) == terminated.Task;
        }

        if (!polite)
        {
            system.Stop(actor);
            await Task.WhenAny(terminated.Task, Task.Delay(timeout)).ConfigureAwait(false);
        }

        watcher.Stop();
        return polite;
    }
}
