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
/// so a re-send is deduplicated) and its round flows through the feed singletons' inboxes.
/// </summary>
internal sealed class CoordinatorHost : ISingletonHost
{
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
        var logic = new LiquidationCoordinatorLogic(new CoordinatorLimits(scenario.Coordinator.MaxRoundsPerTick, null, 32, scenario.Coordinator.InsuranceFundAsset));
        var mirrors = scenario.FeedSymbols.ToDictionary(s => s, s => engine.CreateFeed(s, 1), StringComparer.Ordinal);
        var name = string.Create(CultureInfo.InvariantCulture, $"coordinator-e{lease.Epoch}");
        IActorRef actor = ActorRefs.Nobody;
        var counters = new Dictionary<(int Round, long Account), int>();
        cw.Region = engine.System.CreateFunctionRef((message, _) =>
        {
            switch (message)
            {
                case ApplyCoordinatorEvent e:
                    lock (counters)
                    {
                        var round = e.Event switch { LiquidationFilled f => f.Round, WaterfallSettled s => s.Round, _ => 0 };
                        var n = counters.TryGetValue((round, e.AccountId), out var c) ? c + 1 : 1;
                        counters[(round, e.AccountId)] = n;
                        var id = ClusterOutbox.StableId(string.Create(CultureInfo.InvariantCulture, $"coordinator/{round}/{e.AccountId}/{n}"));
                        outbox.Post(e.Event switch
                        {
                            LiquidationFilled f => new LiquidationFillMessage(e.AccountId, f),
                            WaterfallSettled s => new WaterfallSettledMessage(e.AccountId, s),
                            _ => throw new InvalidOperationException($"the coordinator emitted a {e.Event.GetType().Name}, which has no wire form"),
                        }, id);
                    }

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

        actor = engine.System.ActorOf(Props.Create(() => new LiquidationCoordinatorActor(logic, mirrors, cw)), name);
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
        host._loops.Add(Task.Run(() => RoundsAsync(actor, engine, logic.Settings.MaxRoundsPerTick, options.CoordinatorRoundInterval, log, host._stop.Token)));

        // A resumed coordinator's read model of the accounts is empty: every account with something at stake re-margins
        // and reports its state (and any liquidation request) to us.
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

    private static object Handle(IActorRef actor, NodeEngine engine, InboxMessage message, object decoded)
    {
        switch (decoded)
        {
            case LiquidationRequestMessage r:
                actor.Tell(new LiquidationRequest(r.State.ToState(engine.Model), r.Classified, r.Severity, r.Request));
                return new Ack(true);
            case AccountUpdatedMessage u:
                actor.Tell(new AccountUpdated(u.State.ToState(engine.Model)));
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
        var rounds = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = engine.LastFeedTimeMicros;
                if (now != cascadeTime)
                {
                    // A new tick starts a new cascade (depth back to 0), as the single-process driver does.
                    coordinator.Tell(EndCascade.Instance);
                    cascadeTime = now;
                    rounds = 0;
                }

                while (rounds < maxRoundsPerTick && !cancellationToken.IsCancellationRequested)
                {
                    var r = await coordinator.Ask<RoundCompleted>(new RunRound(now), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
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
