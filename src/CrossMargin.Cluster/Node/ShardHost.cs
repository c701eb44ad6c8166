using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// One shard this node owns: its <see cref="AccountShard"/> actor (account actors spawned on demand, recovering from the
/// journal; their writes pass the epoch fence only under this shard's lease) and the consumer of its inbox.
/// </summary>
internal sealed class ShardHost
{
    private readonly NodeEngine _engine;
    private readonly NodeOptions _options;
    private readonly ILogger _log;
    private readonly InboxConsumer _consumer;

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

    /// <summary>Starts the shard's actor, classifies its accounts (they register their bands locally) and starts consuming its inbox.</summary>
    public static ShardHost Start(int shard, Lease lease, NodeEngine engine, ClusterInbox inbox, NodeOptions options, ILogger log)
    {
        var wiring = engine.Wiring;
        var name = string.Create(CultureInfo.InvariantCulture, $"shard-{shard}-e{lease.Epoch}");
        var actor = engine.System.ActorOf(Props.Create(() => new AccountShard(wiring)), name);
        engine.Host(shard, actor);
        if (options.ClassifyOnAcquire)
        {
            var prices = wiring.Board.Prices;
            var now = engine.LastFeedTimeMicros;
            foreach (var id in engine.AccountsOf(shard))
            {
                actor.Tell(new MarksChanged(id, prices, now));
            }
        }

        var host = new ShardHost(shard, lease, actor, engine, inbox, options, log);
        host._consumer.Start();
        return host;
    }

    /// <summary>
    /// Stops consuming (the messages already started are answered, up to the hand-off timeout), takes the shard out of
    /// the router, and stops its accounts — each snapshots first when <paramref name="graceful"/> — waiting until they
    /// are gone (forcing them after the hand-off timeout).
    /// </summary>
    public async Task StopAsync(bool graceful)
    {
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
