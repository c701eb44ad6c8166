using System.Diagnostics;
using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Cluster.Inbox;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Messaging;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Query;
using Serilog;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// The liquidation coordinator singleton on the node holding <c>singleton-coordinator</c>: a
/// <see cref="LiquidationCoordinatorActor"/> resumed from its journal, fed by its inbox (liquidation requests and account
/// updates from every node), with quote mirrors that follow the feeds' journals, running cascade rounds on a timer. Its
/// account events go out through the shard inboxes (stable command ids per round, account and position in the round,
/// so a re-send is deduplicated; a settlement carries the base it was computed from) and its round flows through the
/// feed singletons' inboxes. The actor runs in cluster mode (<see cref="DeliveryIdOf"/>): its read model folds the events
/// no report has confirmed yet on top of each report and acts only on requests that include them, so reports crossing
/// settlements in flight never settle an account twice. A new feed time, or the next timer tick after a cascade reached
/// the round cap, starts a new cascade; a round a feed has not answered within a minute does not stop the loop.
/// </summary>
internal sealed class CoordinatorHost : ISingletonHost
{
    /// <summary>How long the round loop waits for one round (its feeds' answers included) before it carries on.</summary>
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);

    private readonly ActorSystem _system;
    private readonly InboxConsumer _consumer;
    private readonly CancellationTokenSource _stop;
    private readonly List<Task> _loops = new();
    private readonly TimeSpan _drain;

    private CoordinatorHost(Lease lease, IActorRef actor, ActorSystem system, InboxConsumer consumer, TimeSpan drain, CancellationTokenSource stop)
    {
        _stop = stop;
        Lease = lease;
        Actor = actor;
        _system = system;
        _consumer = consumer;
        _drain = drain;
    }

    public Lease Lease { get; }

    public IActorRef Actor { get; }

    public static async Task<CoordinatorHost> StartAsync(Lease lease, NodeEngine engine, ClusterInbox inbox, ClusterClient client, ClusterOutbox outbox, Persistence.Sql.Journal.SqlJournal journal, NodeOptions options, ILogger log)
    {
        var stop = new CancellationTokenSource();
        var fresh = await journal.ReadHighestSequenceNrAsync(EngineIds.Coordinator).ConfigureAwait(false) == 0;
        var scenario = engine.Scenario;
        var w = engine.Wiring;
        var cw = new EngineWiring(engine.Model, w.MarketMakerId, w.Modes, w.AssetFeeds, w.Board, 0);
        var limits = new CoordinatorLimits(scenario.Coordinator.MaxRoundsPerTick, null, 32, scenario.Coordinator.InsuranceFundAsset);
        var name = string.Create(CultureInfo.InvariantCulture, $"coordinator-e{lease.Epoch}");
        IActorRef actor = ActorRefs.Nobody;
        cw.Region = engine.System.CreateFunctionRef((message, _) =>
        {
            switch (message)
            {
                case ApplyCoordinatorEvent e:
                    // The actor numbered the event (DeliveryIdOf): the same round, account and position always give the
                    // same id, so a round re-run by a successor is applied once by the account.
                    var id = e.DeliveryId ?? throw new InvalidOperationException($"the coordinator sent account {e.AccountId} a {e.Event.GetType().Name} without a delivery id");
                    outbox.Post(e.Event switch
                    {
                        LiquidationFilled f => new LiquidationFillMessage(e.AccountId, f),
                        WaterfallSettled s => new WaterfallSettledMessage(e.AccountId, s, e.Before is { } before ? Holdings(before) : null),
                        _ => throw new InvalidOperationException($"the coordinator emitted a {e.Event.GetType().Name}, which has no wire form"),
                    }, id);
                    break;
                case MarksChanged m:
                    outbox.Post(new RemarginMessage(m.AccountId, m.TimeMicros));
                    break;
            }
        }, "coordinator-region");
        foreach (var symbol in scenario.FeedSymbols)
        {
            var s = symbol;
            cw.Feeds[s] = engine.System.CreateFunctionRef((message, sender) =>
            {
                if (message is ApplyRoundFlow f)
                {
                    _ = SendFlowAsync(client, actor, s, f, options.CommandTimeout, log, stop.Token);
                }
            }, "coordinator-feed-" + s);
        }

        // The state machines are made inside the factory: a restarted actor recovers into fresh ones, not into the
        // instances its failed incarnation had already folded the journal into.
        actor = engine.System.ActorOf(
            Props.Create(() => new LiquidationCoordinatorActor(
                new LiquidationCoordinatorLogic(limits),
                scenario.FeedSymbols.ToDictionary(s => s, s => engine.CreateFeed(s, 1), StringComparer.Ordinal),
                cw,
                DeliveryIdOf)),
            name);
        cw.Coordinator = actor;
        if (fresh)
        {
            // The first coordinator of this journal seeds the insurance fund (as the single-process driver does).
            actor.Tell(new SeedInsuranceFund(scenario.Coordinator.InsuranceFundStart));
        }

        var consumer = new InboxConsumer(
            inbox,
            ClusterResources.Coordinator,
            lease,
            (message, decoded, ct) => Task.FromResult<object>(Handle(actor, engine, message, decoded)),
            options.InboxBatchSize,
            options.Settings.InboxPollInterval,
            log);
        var host = new CoordinatorHost(lease, actor, engine.System, consumer, options.HandOffTimeout, stop);
        foreach (var symbol in scenario.FeedSymbols)
        {
            var s = symbol;
            host._loops.Add(Task.Run(() => MirrorAsync(journal, actor, s, host._stop.Token)));
        }

        consumer.Start();
        host._loops.Add(Task.Run(() => RoundsAsync(actor, engine, limits.MaxRoundsPerTick, options.CoordinatorRoundInterval, log, host._stop.Token)));

        // A resumed coordinator's read model of the accounts is empty: every account with something at stake re-margins
        // and reports its state (and any liquidation request) to us. Asked once the actor has recovered (a command waits
        // for the recovery), so each re-margin follows the events the recovery re-sent through the same inbox and the
        // report covers them.
        try
        {
            await actor.Ask<CoordinatorView>(GetCoordinatorView.Instance, options.CommandTimeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            log.Warning("Coordinator epoch {Epoch}: not recovered within {Timeout}; asking the accounts to report anyway", lease.Epoch, options.CommandTimeout);
        }

        foreach (var id in w.Modes.Keys)
        {
            outbox.Post(new RemarginMessage(id, engine.LastFeedTimeMicros));
        }

        return host;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _consumer.StopAsync(_drain).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await ActorStopper.StopAsync(_system, Actor, null, _drain).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static AccountHoldings Holdings(Risk.Model.Account account)
    {
        var settled = AccountLogic.SettledEvent(0, "before", account);
        return new AccountHoldings(settled.Balances, settled.Positions);
    }

    /// <summary>The inbox command id of the <paramref name="n"/>-th event of <paramref name="round"/> for <paramref name="account"/>.</summary>
    internal static Guid DeliveryIdOf(int round, long account, int n) =>
        ClusterOutbox.StableId(string.Create(CultureInfo.InvariantCulture, $"coordinator/{round}/{account}/{n}"));

    private static object Handle(IActorRef actor, NodeEngine engine, InboxMessage message, object decoded)
    {
        switch (decoded)
        {
            case LiquidationRequestMessage r:
                actor.Tell(new LiquidationRequest(r.State.ToState(engine.Model), r.Classified, r.Severity, r.Request) { Version = r.Version, LastCoordinatorEvent = r.LastCoordinatorEvent });
                return new Ack(true);
            case AccountUpdatedMessage u:
                actor.Tell(new AccountUpdated(u.State.ToState(engine.Model)) { Version = u.Version, LastCoordinatorEvent = u.LastCoordinatorEvent });
                return new Ack(true);
            default:
                return new MessageError("wrong-target", $"{message.Type} cannot be handled by the liquidation coordinator");
        }
    }

    private static async Task SendFlowAsync(ClusterClient client, IActorRef coordinator, string symbol, ApplyRoundFlow flow, TimeSpan timeout, ILogger log, CancellationToken cancellationToken)
    {
        var id = ClusterOutbox.StableId(string.Create(CultureInfo.InvariantCulture, $"round-flow/{symbol}/{flow.Round}"));
        while (true)
        {
            try
            {
                await client.RequestAsync<RoundFlowReply>(new RoundFlowMessage(symbol, flow.Round, flow.TimeMicros, flow.NetQuantity), id, timeout, cancellationToken).ConfigureAwait(false);

                // The impact reaches the quote mirror through the feed's journal (MirrorAsync), not twice.
                coordinator.Tell(new RoundFlowApplied(symbol, null, []));
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                log.Warning("Coordinator: round {Round} flow to feed {Symbol} not answered, re-sending: {Error}", flow.Round, symbol, e.Message);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private static async Task MirrorAsync(IReadJournal journal, IActorRef coordinator, string symbol, CancellationToken cancellationToken)
    {
        long next = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var envelope in journal.EventsByPersistenceId(EngineIds.Feed(symbol), next, long.MaxValue, cancellationToken).ConfigureAwait(false))
                {
                    next = envelope.SequenceNr + 1;
                    if (envelope.Event is FeedEvent e)
                    {
                        coordinator.Tell(new FeedEventJournaled(symbol, e));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static async Task RoundsAsync(IActorRef coordinator, NodeEngine engine, int maxRoundsPerTick, TimeSpan interval, ILogger log, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        long cascadeTime = long.MinValue;
        long feedTime = long.MinValue;
        long now = long.MinValue;
        var feedTimeSeen = Stopwatch.GetTimestamp();
        var rounds = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var feed = engine.LastFeedTimeMicros;
                if (feed != feedTime)
                {
                    feedTime = feed;
                    feedTimeSeen = Stopwatch.GetTimestamp();
                }

                // The round clock is the latest feed time plus the real time since it was seen: once the ticks stop (the
                // end of a run) it keeps moving, so cooldowns after a partial liquidation expire and an account still
                // queued (one that then went bankrupt, say) is settled instead of waiting for a tick that never comes.
                now = Math.Max(now, feed + (long)Stopwatch.GetElapsedTime(feedTimeSeen).TotalMicroseconds);
                if (feed != cascadeTime || rounds >= maxRoundsPerTick)
                {
                    // A new tick starts a new cascade (depth back to 0), as the single-process driver does. So does the
                    // next timer tick after a cascade hit the round cap: with no more ticks nothing else would start one.
                    coordinator.Tell(EndCascade.Instance);
                    cascadeTime = feed;
                    rounds = 0;
                }

                while (rounds < maxRoundsPerTick && !cancellationToken.IsCancellationRequested)
                {
                    RoundCompleted r;
                    try
                    {
                        r = await coordinator.Ask<RoundCompleted>(new RunRound(now), RoundTimeout, cancellationToken).ConfigureAwait(false);
                    }
                    catch (AskTimeoutException)
                    {
                        // A feed has not answered the round's flow yet (SendFlowAsync keeps re-sending it); the round ends
                        // when it does. Keep the loop alive: the coordinator answers "not executed" meanwhile.
                        log.Warning("Coordinator round at {Time} not finished within {Timeout}; carrying on", now, RoundTimeout);
                        break;
                    }

                    if (!r.Executed)
                    {
                        break;
                    }

                    rounds++;
                    log.Information("Coordinator round {Round} at depth {Depth}: {Actions} action(s)", rounds, r.Depth, r.Actions);
                    if (r.Actions == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            log.Error(e, "Coordinator round loop stopped");
        }
    }
}
