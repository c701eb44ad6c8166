using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// A singleton this node runs under its lease: today the price feed of one symbol — a <see cref="PriceFeedActor"/>
/// that resumes from its journal (<c>feed-SYMBOL</c>, fenced by <c>singleton-feed-SYMBOL</c>) and takes index ticks
/// from its inbox exactly once (receipts journaled with the ticks). The feed actor runs under a
/// <see cref="SingletonSupervisor"/> that starts it again if it stops itself while the lease is held.
/// </summary>
internal sealed class SingletonHost : ISingletonHost
{
    private readonly ActorSystem _system;
    private readonly InboxConsumer _consumer;
    private readonly TimeSpan _drain;

    private SingletonHost(string name, Lease lease, IActorRef actor, ActorSystem system, InboxConsumer consumer, TimeSpan drain)
    {
        Name = name;
        Lease = lease;
        Actor = actor;
        _system = system;
        _consumer = consumer;
        _drain = drain;
    }

    public string Name { get; }

    public Lease Lease { get; }

    public IActorRef Actor { get; }

    public static SingletonHost StartFeed(string symbol, Lease lease, NodeEngine engine, ClusterInbox inbox, NodeOptions options, ILogger log)
    {
        var isInstrument = engine.Model.Catalog.Instruments.ContainsKey(symbol);
        var assets = engine.AssetsPricedBy.TryGetValue(symbol, out var l) ? l : [];
        var wiring = engine.Wiring;
        var name = string.Create(CultureInfo.InvariantCulture, $"feed-{symbol}-e{lease.Epoch}");
        // A fresh feed state machine per incarnation: a restarted actor recovers its journal into a new one (reusing the
        // failed incarnation's, already folded, made the replay fail on its first event and the feed stop for good).
        // The supervisor starts a new incarnation when the feed stops itself (a recovery or journal write failed, e.g.
        // during a PostgreSQL restart): this node still holds the lease, so nobody else would run the feed.
        var feedProps = () => Props.Create(() => new PriceFeedActor(engine.CreateFeed(symbol, 16), isInstrument, assets, wiring));
        var actor = engine.System.ActorOf(Props.Create(() => new SingletonSupervisor(feedProps, name, SingletonSupervisor.DefaultMinBackoff, SingletonSupervisor.DefaultMaxBackoff, () => !lease.IsLost, log)), name);
        var consumer = new InboxConsumer(
            inbox,
            ClusterResources.Feed(symbol),
            lease,
            (message, decoded, ct) => HandleFeedMessage(symbol, actor, message, decoded, options.CommandTimeout, ct),
            options.InboxBatchSize,
            options.Settings.InboxPollInterval,
            log);
        consumer.Start();
        return new SingletonHost(ClusterResources.FeedName(symbol), lease, actor, engine.System, consumer, options.HandOffTimeout);
    }

    public async Task StopAsync()
    {
        await _consumer.StopAsync(_drain).ConfigureAwait(false);
        await ActorStopper.StopAsync(_system, Actor, null, _drain).ConfigureAwait(false);
    }

    private static Task<object> HandleFeedMessage(string symbol, IActorRef feed, InboxMessage message, object decoded, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (decoded is RoundFlowMessage flow)
        {
            return flow.Symbol != symbol
                ? Task.FromResult<object>(new MessageError("wrong-target", $"a round flow for {flow.Symbol} reached the feed of {symbol}"))
                : FlowApplied(feed.Ask<RoundFlowApplied>(new ApplyRoundFlow(flow.Round, flow.TimeMicros, flow.NetQuantity) { DeliveryId = message.CommandId }, timeout, cancellationToken));
        }

        if (decoded is not IndexTickMessage tick)
        {
            return Task.FromResult<object>(new MessageError("wrong-target", $"{message.Type} cannot be handled by the price feed {symbol}"));
        }

        if (tick.Symbol != symbol)
        {
            return Task.FromResult<object>(new MessageError("wrong-target", $"a tick for {tick.Symbol} reached the feed of {symbol}"));
        }

        return Journaled(feed.Ask<FeedTickJournaled>(new IndexTick(tick.TimeMicros, tick.Price) { DeliveryId = message.CommandId }, timeout, cancellationToken));
    }

    private static async Task<object> FlowApplied(Task<RoundFlowApplied> ask)
    {
        var applied = await ask.ConfigureAwait(false);
        return new RoundFlowReply(applied.Symbol, applied.Impact);
    }

    private static async Task<object> Journaled(Task<FeedTickJournaled> ask)
    {
        var j = await ask.ConfigureAwait(false);
        return new TickAccepted(j.Symbol, j.TimeMicros, j.Index, j.Mark);
    }
}

/// <summary>A singleton running on this node under its lease.</summary>
internal interface ISingletonHost
{
    /// <summary>The lease it runs under.</summary>
    Lease Lease { get; }

    /// <summary>Stops consuming its inbox and stops its actor.</summary>
    Task StopAsync();
}
